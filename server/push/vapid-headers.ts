/**
 * VAPID `Authorization` headers (RFC 8292), one per push service, reused until shortly before
 * they expire. Signing the ES256 token costs about a millisecond of CPU; signed for every
 * push it was a quarter of the push path's CPU (docs/benchmarks.md, "Push"). A push
 * service accepts a token for up to 24 hours; these last 12 and are renewed after 11.
 */
import webpush from 'web-push';
import type { VapidKeys } from './push-store';

const LIFETIME_S = 12 * 60 * 60;
const RENEW_AFTER_MS = 11 * 60 * 60 * 1000;
/** Push services in use are a handful (one per browser vendor); bound it anyway. */
const MAX_AUDIENCES = 256;

export class VapidHeaders {
  private readonly cache = new Map<string, { value: string; renewAt: number }>();

  constructor(
    private readonly subject: string,
    private readonly keys: VapidKeys,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `Authorization` header for a push to `endpoint` (its origin is the audience). */
  authorization(endpoint: string): string {
    const { protocol, host } = new URL(endpoint);
    const audience = `${protocol}//${host}`;
    const t = this.now();
    const hit = this.cache.get(audience);
    if (hit && hit.renewAt > t) return hit.value;
    const value = webpush.getVapidHeaders(
      audience,
      this.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      Math.floor(t / 1000) + LIFETIME_S,
    ).Authorization;
    this.cache.delete(audience);
    if (this.cache.size >= MAX_AUDIENCES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(audience, { value, renewAt: t + RENEW_AFTER_MS });
    return value;
  }
}
