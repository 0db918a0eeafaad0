import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { VapidHeaders } from '../../../server/push/vapid-headers';
import { vapidProblem } from '../../helpers/push-service';

const keys = webpush.generateVAPIDKeys();
const SERVICE = 'https://push.example.test';

describe('VapidHeaders', () => {
  it('signs a token a push service accepts, for that service only', () => {
    const vapid = new VapidHeaders('mailto:ops@example.test', keys);
    const header = vapid.authorization(`${SERVICE}/send/abc`);
    expect(vapidProblem(header, SERVICE)).toBeNull();
    expect(vapidProblem(header, 'https://other.example.test')).toMatch(/audience/);
    const forged = header.replace(/k=[\w-]+$/, `k=${webpush.generateVAPIDKeys().publicKey}`);
    expect(vapidProblem(forged, SERVICE)).toBe('bad signature');
  });

  it('reuses the token per push service and renews it before it expires', () => {
    let now = Date.parse('2026-11-30T12:00:00Z');
    const vapid = new VapidHeaders('mailto:ops@example.test', keys, () => now);
    const first = vapid.authorization(`${SERVICE}/send/a`);
    expect(vapid.authorization(`${SERVICE}/send/b`)).toBe(first);
    expect(vapid.authorization('https://other.example.test/x')).not.toBe(first);
    now += 11 * 3600 * 1000 + 1;
    const renewed = vapid.authorization(`${SERVICE}/send/a`);
    expect(renewed).not.toBe(first);
    expect(vapidProblem(renewed, SERVICE, now)).toBeNull();
    // The old token would have expired an hour later: never used that close to its end.
    expect(vapidProblem(first, SERVICE, now + 3600 * 1000)).toMatch(/expiry/);
  });
});
