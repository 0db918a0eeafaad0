import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { runSignalsContract } from './signals.contract';
import { LocalSignalHub, LocalSignals } from '../../server/cluster/local-signals';
import { RedisSignals } from '../../server/cluster/redis-signals';
import { parseSignal } from '../../server/cluster/signals';
import { createRedisPrefix, requireServices, type TestRedisPrefix } from '../helpers/services';

runSignalsContract('local (in-process)', () => {
  const hub = new LocalSignalHub();
  const a = new LocalSignals(hub);
  const b = new LocalSignals(hub);
  return Promise.resolve({
    a,
    b,
    teardown: async () => {
      await a.close();
      await b.close();
    },
  });
});

let redis: TestRedisPrefix;
beforeAll(async () => {
  await requireServices();
  redis = createRedisPrefix();
});
afterAll(async () => {
  await redis?.drop();
});

runSignalsContract('redis (pub/sub)', async () => {
  const a = await RedisSignals.connect({ url: redis.url, prefix: redis.prefix });
  const b = await RedisSignals.connect({ url: redis.url, prefix: redis.prefix });
  return {
    a,
    b,
    teardown: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('signals from the medium', () => {
  it('are validated: malformed ones are dropped, valid ones still arrive', async () => {
    const s = await RedisSignals.connect({ url: redis.url, prefix: redis.prefix });
    const got: unknown[] = [];
    s.subscribe((x) => got.push(x));
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.publish(`${redis.prefix}signals`, 'not json');
    await raw.publish(
      `${redis.prefix}signals`,
      JSON.stringify({ from: 'x', signal: { kind: 'revoke', userId: 5 } }),
    );
    await raw.publish(
      `${redis.prefix}signals`,
      JSON.stringify({ from: 'x', signal: { kind: 'policy', a: 'u_1', b: 'u_2' } }),
    );
    for (let i = 0; got.length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([{ kind: 'policy', a: 'u_1', b: 'u_2' }]);
    await raw.quit();
    await s.close();
  });

  it('parseSignal refuses unknown kinds and wrong field types', () => {
    expect(parseSignal({ kind: 'nope' })).toBeNull();
    expect(parseSignal({ kind: 'revoke', userId: 'u', sid: 3 })).toBeNull();
    expect(parseSignal({ kind: 'conversation', conversationId: '' })).toBeNull();
    expect(parseSignal({ kind: 'revoke', userId: 'u', sid: null })).toEqual({
      kind: 'revoke',
      userId: 'u',
      sid: null,
    });
  });

  it('parseSignal accepts a privacy signal with a user id only', () => {
    expect(parseSignal({ kind: 'privacy', userId: 'u_1', settings: {} })).toEqual({
      kind: 'privacy',
      userId: 'u_1',
    });
    expect(parseSignal({ kind: 'privacy', userId: 7 })).toBeNull();
  });

  it('parseSignal accepts a presence signal with a user id and nothing else', () => {
    expect(parseSignal({ kind: 'presence', userId: 'u_1', extra: 1 })).toEqual({
      kind: 'presence',
      userId: 'u_1',
    });
    expect(parseSignal({ kind: 'presence' })).toBeNull();
    expect(parseSignal({ kind: 'presence', userId: 7 })).toBeNull();
    expect(parseSignal({ kind: 'presence', userId: 'x'.repeat(300) })).toBeNull();
  });
});
