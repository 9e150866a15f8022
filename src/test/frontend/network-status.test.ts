import { describe, expect, it } from 'vitest';
import { NetworkStatus } from '../../main/frontend/network-status';

describe('NetworkStatus', () => {
  it('tells listeners when the browser goes offline and comes back', () => {
    const target = new EventTarget() as EventTarget & { navigator: { onLine: boolean } };
    target.navigator = { onLine: true };
    const status = new NetworkStatus(target as unknown as Window);
    const seen: boolean[] = [];
    const stop = status.onChange((online) => seen.push(online));
    expect(status.online).toBe(true);
    target.navigator.onLine = false;
    target.dispatchEvent(new Event('offline'));
    target.navigator.onLine = true;
    target.dispatchEvent(new Event('online'));
    stop();
    target.dispatchEvent(new Event('offline'));
    expect(seen).toEqual([false, true]);
  });
});
