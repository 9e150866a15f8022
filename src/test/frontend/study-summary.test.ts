import { describe, expect, it } from 'vitest';
import { secondsLeft } from '../../main/frontend/study-summary';
import type { QueuedFile } from '../../main/frontend/upload-queue';

const file = (size: number, sentBytes: number, wireBytes?: number, state: QueuedFile['state'] = 'sending') =>
  ({ size, sentBytes, wireBytes, state }) as QueuedFile;

describe('time left', () => {
  it('counts what is left at the share of its size that has gone on the wire so far', () => {
    // 1 MB sent as 300 KB: the 2 MB left should take about 600 KB on a 100 KB/s link.
    expect(secondsLeft([file(1_000_000, 1_000_000, 300_000, 'done'), file(2_000_000, 0, undefined, 'queued')], 100_000)).toBeCloseTo(6);
    // nothing compressed: what is left as it is
    expect(secondsLeft([file(1_000_000, 400_000)], 100_000)).toBeCloseTo(6);
  });

  it('leaves out failed files, and says nothing before a rate is known', () => {
    expect(secondsLeft([file(1_000_000, 0, undefined, 'failed'), file(500_000, 0)], 50_000)).toBeCloseTo(10);
    expect(secondsLeft([file(1_000_000, 0)], 0)).toBe(0);
  });
});
