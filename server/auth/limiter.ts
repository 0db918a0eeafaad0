/**
 * Attempt limits for sign-in, registration and password change: a small interface over
 * rate-limiter-flexible, so the in-memory limiter can become a Redis one in cluster mode.
 */
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { RedisClientType } from 'redis';

/** What a route needs: take a point before the costly check, give it back after a success. */
export interface AttemptLimiter {
  /**
   * Take one point for `key` atomically. Resolves with 0 when the attempt may go ahead, or with
   * the milliseconds until it may (the point is not taken then).
   */
  take(key: string): Promise<number>;
  /** Give back one point taken by a successful attempt (only that one: a burst stays counted). */
  refund(key: string): Promise<void>;
}

export interface LimitSpec {
  /** Attempts allowed per window. */
  points: number;
  /** Window length in seconds (fixed window from the first attempt). */
  seconds: number;
}

export type LimiterFactory = (name: string, spec: LimitSpec) => AttemptLimiter;

/** Limits held in this process's memory (a single server). */
export const memoryLimiters: LimiterFactory = (name, spec) =>
  attempts(new RateLimiterMemory({ keyPrefix: name, points: spec.points, duration: spec.seconds }));

/**
 * Limits kept in Redis (cluster mode): every process takes points from the same counters,
 * so N processes do not give N times the limit. `consume` is one atomic Redis script.
 */
export function redisLimiters(client: RedisClientType, prefix: string): LimiterFactory {
  return (name, spec) =>
    attempts(
      new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        keyPrefix: `${prefix}limit:${name}`,
        points: spec.points,
        duration: spec.seconds,
      }),
    );
}

function attempts(limiter: RateLimiterAbstract): AttemptLimiter {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, e.msBeforeNext);
        throw e;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}

/** "Try again in 15 minutes": the wait in words a person reads, rounded up. */
export function waitInWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
