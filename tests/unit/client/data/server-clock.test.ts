import { describe, expect, it } from 'vitest';
import {
  noteServerDate,
  offsetFrom,
  serverNow,
  serverOffset,
} from '../../../../client/data/server-clock';

const DAY = 86_400_000;

describe('server clock', () => {
  it('a device two days behind learns the offset from the Date header', () => {
    const server = Date.UTC(2026, 10, 30, 14, 0, 0);
    const device = server - 2 * DAY;
    const offset = offsetFrom(new Date(server).toUTCString(), device - 100, device + 100);
    expect(offset).not.toBeNull();
    expect(Math.abs((offset ?? 0) - 2 * DAY)).toBeLessThanOrEqual(1000);
  });

  it('a clock within a few seconds of the server is left alone', () => {
    const t = Date.UTC(2026, 10, 30, 14, 0, 0);
    expect(offsetFrom(new Date(t).toUTCString(), t - 1200, t + 800)).toBe(0);
  });

  it('no header or a broken one changes nothing', () => {
    expect(offsetFrom(null, 0, 1)).toBeNull();
    expect(offsetFrom('yesterday-ish', 0, 1)).toBeNull();
  });

  it('serverNow follows the last answer', () => {
    const now = Date.now();
    noteServerDate(new Date(now + DAY).toUTCString(), now, now);
    expect(Math.abs(serverOffset() - DAY)).toBeLessThanOrEqual(1500);
    expect(Math.abs(serverNow() - (Date.now() + DAY))).toBeLessThanOrEqual(1500);
    noteServerDate(new Date(now).toUTCString(), now, now);
    expect(serverOffset()).toBe(0);
  });
});
