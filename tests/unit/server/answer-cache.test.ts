/**
 * The PostgreSQL store's short-lived answers: asked once, dropped by `clear`, and an answer
 * fetched across a `clear` (the question was asked before a change) is not kept.
 */
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../server/store/pg/answer-cache';

describe('AnswerCache', () => {
  it('asks once, and again after clear', async () => {
    const cache = new AnswerCache<boolean>(60_000);
    let asked = 0;
    const ask = (): Promise<boolean> => Promise.resolve((asked++, true));
    expect(await cache.get('k', ask)).toBe(true);
    expect(await cache.get('k', ask)).toBe(true);
    expect(asked).toBe(1);
    cache.clear();
    await cache.get('k', ask);
    expect(asked).toBe(2);
  });

  it('does not keep an answer that was being fetched when it was cleared', async () => {
    const cache = new AnswerCache<string>(60_000);
    let release: (v: string) => void = () => undefined;
    const old = cache.get('privacy', () => new Promise<string>((r) => (release = r)));
    cache.clear(); // a change (or a signal) arrives while the old answer is on its way
    release('before the change');
    expect(await old).toBe('before the change');
    expect(await cache.get('privacy', () => Promise.resolve('after the change'))).toBe(
      'after the change',
    );
  });

  it('asks again once an answer is older than its lifetime', async () => {
    const cache = new AnswerCache<number>(0);
    let asked = 0;
    await cache.get('k', () => Promise.resolve(++asked));
    // The barrier: a later millisecond (no fixed sleep; Date.now moves on by itself).
    const start = Date.now();
    while (Date.now() === start) await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', () => Promise.resolve(++asked))).toBe(2);
  });
});
