import { describe, expect, it } from 'vitest';
import { Api, ApiError } from '../../../../client/data/api';
import { jsonFetch } from './helpers';

describe('Api', () => {
  it('throws the server’s code and message', async () => {
    const api = new Api({
      fetch: jsonFetch(() => ({
        status: 409,
        body: { error: { code: 'email-taken', message: 'Taken, sign in instead.' } },
      })),
    });
    const err = await api
      .register({ email: 'a@b.c', password: 'x'.repeat(10), displayName: 'A' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'email-taken',
      status: 409,
      message: 'Taken, sign in instead.',
    });
  });

  it('reports an unreachable server as a network error', async () => {
    const seen: boolean[] = [];
    const api = new Api({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      onReachability: (ok) => seen.push(ok),
    });
    await expect(api.me()).rejects.toMatchObject({ code: 'network', status: 0 });
    expect(seen).toEqual([false]);
  });
});
