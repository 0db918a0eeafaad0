/**
 * A service whose module loads on first use (search, push, admin, settings): it is built
 * once, the components that follow it hear when it is there, and a load that failed
 * (offline before the chunk was cached) is tried again on the next use.
 */
import { describe, expect, it } from 'vitest';
import { LazyService } from '../../../../client/data/lazy-service';

describe('LazyService', () => {
  it('builds the service once, however many uses wait for it, and tells its followers', async () => {
    let built = 0;
    const lazy = new LazyService(() => Promise.resolve({ n: ++built }));
    let heard = 0;
    lazy.subscribe(() => heard++);
    expect(lazy.instance).toBeNull();
    const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
    expect(a).toBe(b);
    expect(await lazy.load()).toBe(a);
    expect(lazy.instance).toBe(a);
    expect(built).toBe(1);
    expect(heard).toBe(1);
  });

  it('tries again after a failed load', async () => {
    let attempts = 0;
    const lazy = new LazyService(() =>
      ++attempts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve('search'),
    );
    await expect(lazy.load()).rejects.toThrow('offline');
    expect(lazy.instance).toBeNull();
    expect(await lazy.load()).toBe('search');
    expect(attempts).toBe(2);
  });
});
