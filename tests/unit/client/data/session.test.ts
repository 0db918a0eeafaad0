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

  it('a sign-out made offline is sent when the server answers again, and the next start does not sign back in', async () => {
    const storage = new MemoryStorage();
    let online = true;
    const calls: string[] = [];
    const api = new Api({
      fetch: (input, init) => {
        if (!online) return Promise.reject(new TypeError('offline'));
        calls.push(`${init?.method ?? 'GET'} ${input}`);
        // The cookie still names a live session until the sign-out arrives.
        return jsonFetch((_method, path) =>
          path === '/api/auth/logout' ? { status: 204 } : { status: 200, body: { user } },
        )(input, init);
      },
    });
    const session = new Session({ api, storage, window: null });
    await session.signIn(user.email, 'password123');
    online = false;
    await session.signOut();
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: false });
    expect(session.signOutPending()).toBe(true);

    // A reload while still offline: signed out, the revocation still waits.
    const reloaded = new Session({ api, storage, window: null });
    await reloaded.restore();
    expect(reloaded.snapshot).toEqual({ status: 'signed-out', expired: false });
    expect(reloaded.signOutPending()).toBe(true);

    // Back online: the next start sends the sign-out instead of asking who is signed in.
    online = true;
    calls.length = 0;
    const later = new Session({ api, storage, window: null });
    await later.restore();
    expect(calls).toEqual(['POST /api/auth/logout']);
    expect(later.snapshot).toEqual({ status: 'signed-out', expired: false });
    expect(later.signOutPending()).toBe(false);
  });

  it('expires a signed-in session', async () => {
    const api = new Api({ fetch: jsonFetch(() => ({ status: 200, body: { user } })) });
    const session = new Session({ api, storage: null });
    await session.restore();
    session.expire();
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: true });
  });
});
