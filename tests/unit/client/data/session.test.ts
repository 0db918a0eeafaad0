import { describe, expect, it } from 'vitest';
import { Api } from '../../../../client/data/api';
import { Session } from '../../../../client/data/session';
import { MemoryStorage, jsonFetch } from './helpers';

const user = { id: 'u_aliceaaaaaaaaaaaaaaa', email: 'a@example.test', displayName: 'Alice' };

describe('Session', () => {
  it('restores the signed-in user from the server and remembers it', async () => {
    const storage = new MemoryStorage();
    const api = new Api({ fetch: jsonFetch(() => ({ status: 200, body: { user } })) });
    const session = new Session({ api, storage });
    await session.restore();
    expect(session.snapshot).toEqual({ status: 'signed-in', user, verified: true });
    expect(storage.getItem('parley:last-user')).toContain(user.id);
  });

  it('starts offline as the last user of this device when the server is unreachable', async () => {
    const storage = new MemoryStorage();
    storage.setItem('parley:last-user', JSON.stringify(user));
    const api = new Api({ fetch: () => Promise.reject(new TypeError('offline')) });
    const session = new Session({ api, storage });
    await session.restore();
    expect(session.snapshot).toEqual({ status: 'signed-in', user, verified: false });
  });

  it('is signed out when the server says 401', async () => {
    const api = new Api({
      fetch: jsonFetch(() => ({
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } },
      })),
    });
    const session = new Session({ api, storage: new MemoryStorage() });
    await session.restore();
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: false });
  });

  it('cleans up this device and forgets the user on sign-out, even offline', async () => {
    const storage = new MemoryStorage();
    let online = true;
    const api = new Api({
      fetch: (input, init) =>
        online
          ? jsonFetch(() => ({ status: 200, body: { user } }))(input, init)
          : Promise.reject(new TypeError('offline')),
    });
    const cleaned: string[] = [];
    const session = new Session({
      api,
      storage,
      cleanup: (u) => {
        cleaned.push(u.id);
        return Promise.resolve();
      },
    });
    await session.signIn(user.email, 'password123');
    online = false;
    await session.signOut();
    expect(cleaned).toEqual([user.id]);
    expect(storage.getItem('parley:last-user')).toBeNull();
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: false });
  });

  it('expires a signed-in session', async () => {
    const api = new Api({ fetch: jsonFetch(() => ({ status: 200, body: { user } })) });
    const session = new Session({ api, storage: null });
    await session.restore();
    session.expire();
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: true });
  });
});
