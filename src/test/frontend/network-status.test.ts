import { describe, expect, it } from 'vitest';
import { NetworkStatus, Pacer } from '../../main/frontend/network-status';

function fakeWindow(connection?: EventTarget & { type?: string }) {
  const target = new EventTarget() as EventTarget & { navigator: { onLine: boolean; connection?: unknown } };
  target.navigator = { onLine: true, connection };
  return target;
}

describe('NetworkStatus', () => {
  it('tells listeners when the browser goes offline and comes back', () => {
    const target = fakeWindow();
    const status = new NetworkStatus(target as never);
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

  it('holds for Wi-Fi only on a connection the browser reports as cellular, and hears the change', () => {
    const connection = Object.assign(new EventTarget(), { type: 'cellular' });
    const status = new NetworkStatus(fakeWindow(connection) as never);
    let changes = 0;
    status.onChange(() => changes++);
    expect(status.knowsConnectionType).toBe(true);
    expect(status.mustWaitForWifi(true)).toBe(true);
    expect(status.mustWaitForWifi(false)).toBe(false);
    connection.type = 'wifi';
    connection.dispatchEvent(new Event('change'));
    expect(changes).toBe(1);
    expect(status.mustWaitForWifi(true)).toBe(false);
  });

  it('never holds where the browser does not report the connection type', () => {
    const status = new NetworkStatus(fakeWindow() as never);
    expect(status.knowsConnectionType).toBe(false);
    expect(status.mustWaitForWifi(true)).toBe(false);
  });
});

describe('Pacer', () => {
  it('keeps the average rate under the cap', async () => {
    let clock = 1000;
    const slept: number[] = [];
    const pacer = new Pacer(() => 100_000, () => clock, async (ms) => {
      slept.push(ms);
      clock += ms;
    });
    for (let i = 0; i < 10; i++) {
      await pacer.take(50_000);
    }
    // 500 kB at 100 kB/s: the first second's worth is free, the rest waits about 4 s in all.
    expect(slept.reduce((a, b) => a + b, 0)).toBeCloseTo(4000, -1);
  });

  it('does not wait without a cap', async () => {
    const pacer = new Pacer(() => 0, () => 0, async () => {
      throw new Error('should not sleep');
    });
    await pacer.take(10_000_000);
  });
});
