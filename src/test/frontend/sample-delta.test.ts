import { describe, expect, it } from 'vitest';
import { filterSamples, runInChunk, BLOCK_SAMPLES } from '../../main/frontend/sample-delta';
import { unfilterSamples } from './fake-server';

describe('sample filter', () => {
  it('writes each sample as its difference from the last, low bytes then high bytes (the vector the server test decodes)', () => {
    const original = new Uint8Array([7, 9, 0xe8, 0x03, 0xea, 0x03, 0xe7, 0x03, 42]); // 1000, 1002, 999
    const filtered = new Uint8Array(filterSamples(original.buffer, { offset: 2, length: 6 }));
    expect([...filtered]).toEqual([7, 9, 0xe8, 0x02, 0xfd, 0x03, 0x00, 0xff, 42]);
    expect([...original]).toEqual([7, 9, 0xe8, 0x03, 0xea, 0x03, 0xe7, 0x03, 42]); // the chunk itself is untouched
  });

  it('is undone exactly across blocks', () => {
    const chunk = new Uint8Array(100 + 2 * (BLOCK_SAMPLES + 17) + 5).map((_, i) => (i * 7919) & 0xff);
    const run = { offset: 100, length: 2 * (BLOCK_SAMPLES + 17) };
    expect(new Uint8Array(unfilterSamples(filterSamples(chunk.buffer, run), run))).toEqual(chunk);
  });

  it('cuts the run to the chunk, on whole samples, and leaves out a sliver', () => {
    const run = { offset: 1001, length: 100_000 };
    expect(runInChunk(run, 0, 65536)).toEqual({ offset: 1001, length: 64534 });
    // the chunk starts mid-sample: that sample's second byte stays as it is
    expect(runInChunk(run, 65536, 65536)).toEqual({ offset: 1, length: 35464 });
    expect(runInChunk(run, 99_001, 65536)).toEqual({ offset: 0, length: 2000 });
    expect(runInChunk(run, 101_000, 1000)).toBeUndefined();
    expect(runInChunk(undefined, 0, 1000)).toBeUndefined();
  });
});
