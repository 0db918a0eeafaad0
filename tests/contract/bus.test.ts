import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { runBusContract } from './bus.contract';
import { LocalHub, LocalUpdateBus } from '../../server/bus/local-update-bus';
import { RedisBus } from '../../server/bus/redis-bus';
import { createRedisPrefix, requireServices, type TestRedisPrefix } from '../helpers/services';

runBusContract('local (in-process)', () => {
  const hub = new LocalHub();
  const a = new LocalUpdateBus(hub);
  const b = new LocalUpdateBus(hub);
  return Promise.resolve({
    a,
    b,
    settle: () => Promise.resolve(),
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

runBusContract('redis (pub/sub)', async () => {
  const a = await RedisBus.connect({ url: redis.url, prefix: redis.prefix });
  const b = await RedisBus.connect({ url: redis.url, prefix: redis.prefix });
  return {
    a,
    b,
    settle: async () => {
      await a.ready();
      await b.ready();
    },
    teardown: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('RedisBus after a dropped connection', () => {
  it('reports a gap and delivers again once its subscriber is back', async () => {
    const a = await RedisBus.connect({ url: redis.url, prefix: redis.prefix });
    const b = await RedisBus.connect({ url: redis.url, prefix: redis.prefix });
    const got: number[] = [];
    b.subscribe('c_gap', (m) => got.push('payload' in m ? (m.payload[0] ?? 0) : 0));
    await b.ready();
    const gap = new Promise<void>((resolve) => b.onGap(resolve));
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']); // as if Redis restarted
    await admin.quit();
    await gap;
    // Resubscribed: a later publication arrives (retry until the subscription is back).
    for (let i = 0; got.length === 0 && i < 100; i++) {
      a.publish({ kind: 'doc-update', doc: 'c_gap', payload: new Uint8Array([1]) });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(got[0]).toBe(1);
    await a.close();
    await b.close();
  });
});
