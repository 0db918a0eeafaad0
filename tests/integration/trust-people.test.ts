/**
 * Trust findings about people (issue #10): who may answer a request (5), what the directory
 * reveals about e-mail addresses (10), and how many event streams one user may hold (11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import type { DirectoryUser } from '../../shared/api';

let server: TestServer;
const clients: TestClient[] = [];

async function user(name: string, email?: string): Promise<TestClient> {
  const c = new TestClient(server.origin);
  await c.register(
    email ?? `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name,
  );
  clients.push(c);
  return c;
}

async function contactIds(c: TestClient): Promise<string[]> {
  const r = await c.request<{ contacts: DirectoryUser[] }>('GET', '/api/contacts');
  return r.body.contacts.map((u) => u.id);
}

async function search(
  c: TestClient,
  q: string,
): Promise<{ status: number; text: string; names: string[] }> {
  const res = await fetch(`${server.origin}/api/users?q=${encodeURIComponent(q)}`, {
    headers: { Cookie: c.cookie ?? '', Origin: server.origin },
  });
  const text = await res.text();
  const body = JSON.parse(text) as { users?: DirectoryUser[] };
  return { status: res.status, text, names: (body.users ?? []).map((u) => u.displayName) };
}

/**
 * Open `/api/events` with a cookie; the controller aborts it. The response is returned and
 * kept by the caller: undici closes the connection of a response that is garbage collected
 * with its body unread, which would free a place on the server behind the test's back.
 */
async function stream(
  cookie: string,
): Promise<{ status: number; body: unknown; ctrl: AbortController; res: Response }> {
  const ctrl = new AbortController();
  const res = await fetch(`${server.origin}/api/events`, {
    headers: { Cookie: cookie, Origin: server.origin },
    signal: ctrl.signal,
  });
  const body = res.status === 200 ? null : ((await res.json()) as unknown);
  return { status: res.status, body, ctrl, res };
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
  server.cleanup();
});

describe('finding 5: only the recipient answers a request', () => {
  it('refuses the requester accepting or declining their own message request (403)', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id); // a message request to Bob
    const accept = await alice.request<{ error: { code: string; message: string } }>(
      'POST',
      `/api/conversations/${conv.id}/accept`,
    );
    expect(accept.status).toBe(403);
    expect(accept.body.error.message).toMatch(/Only the person who received/);
    expect((await alice.request('POST', `/api/conversations/${conv.id}/decline`)).status).toBe(403);
    // Nothing changed: not contacts on either side, still a request for Bob.
    expect(await contactIds(alice)).toEqual([]);
    expect(await contactIds(bob)).toEqual([]);
    const bobs = await bob.request<{ conversation: { request: boolean } }>(
      'GET',
      `/api/conversations/${conv.id}`,
    );
    expect(bobs.body.conversation.request).toBe(true);
    // The recipient may.
    expect((await bob.request('POST', `/api/conversations/${conv.id}/accept`)).status).toBe(200);
    expect(await contactIds(alice)).toEqual([bob.user!.id]);
  });

  it('does not let either side re-add a removed contact through an old conversation', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    expect((await bob.request('POST', `/api/conversations/${conv.id}/accept`)).status).toBe(200);
    expect((await bob.request('DELETE', `/api/contacts/${alice.user!.id}`)).status).toBe(204);
    // Alice cannot make herself Bob's contact again by "accepting" the accepted conversation.
    expect((await alice.request('POST', `/api/conversations/${conv.id}/accept`)).status).toBe(403);
    expect(await contactIds(bob)).toEqual([]);
  });

  it('lets only the recipient accept a contact request; both sides may end it', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const r = await alice.request<{ request: { id: string } }>('POST', '/api/contacts/requests', {
      userId: bob.user!.id,
    });
    const id = r.body.request.id;
    expect((await alice.request('POST', `/api/contacts/requests/${id}/accept`)).status).toBe(403);
    expect(await contactIds(bob)).toEqual([]);
    const stranger = await user('Mallory');
    expect((await stranger.request('POST', `/api/contacts/requests/${id}/decline`)).status).toBe(
      404,
    );
    expect((await alice.request('DELETE', `/api/contacts/requests/${id}`)).status).toBe(204); // cancel
  });
});

describe('finding 10: the directory is no e-mail oracle', () => {
  it('matches the start of a name or of a word in it (2+ characters) and whole addresses only, and never returns addresses', async () => {
    const me = await user('Searcher');
    const email = `oracle.${Math.random().toString(36).slice(2, 8)}@example.com`;
    await user('Quentin Oracle', email);
    expect((await search(me, 'quen')).names).toEqual(['Quentin Oracle']);
    expect((await search(me, 'ORAC')).names).toEqual(['Quentin Oracle']);
    expect((await search(me, email.toUpperCase())).names).toEqual(['Quentin Oracle']);
    for (const q of [
      'q',
      'o',
      'uentin',
      'racle',
      'oracle.',
      email.slice(0, 10),
      email.slice(0, -1),
      email.split('@')[0]!,
      `@${email.split('@')[1]!}`,
      'example.com',
      email.slice(1),
      '%@example.com',
    ]) {
      const r = await search(me, q);
      expect(r.status, q).toBe(200);
      expect(r.names, q).toEqual([]);
    }
    // The answer to a name search carries no addresses at all.
    const byName = await search(me, 'Quentin');
    expect(byName.names).toEqual(['Quentin Oracle']);
    expect(byName.text).not.toContain('@');
    expect(byName.text).not.toContain('email');
  });
});

describe('finding 11: event streams are bounded', () => {
  it('allows 10 streams per session and 20 per user, then answers 429 with a clear error', async () => {
    const a = await user('Streamer');
    const open: { ctrl: AbortController; res: Response }[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const s = await stream(a.cookie!);
        open.push(s);
        expect(s.status).toBe(200);
      }
      const eleventh = await stream(a.cookie!);
      expect(eleventh.status).toBe(429);
      expect(eleventh.body).toMatchObject({ error: { code: 'rate-limited' } });
      // A second device (another session) may open its own 10, then the user is at 20.
      const phone = new TestClient(server.origin);
      await phone.request('POST', '/api/auth/login', {
        email: a.user!.email,
        password: 'correct horse battery',
      });
      for (let i = 0; i < 10; i++) {
        const s = await stream(phone.cookie!);
        open.push(s);
        expect(s.status).toBe(200);
      }
      const third = new TestClient(server.origin);
      await third.request('POST', '/api/auth/login', {
        email: a.user!.email,
        password: 'correct horse battery',
      });
      const over = await stream(third.cookie!);
      expect(over.status).toBe(429);
      expect((over.body as { error: { message: string } }).error.message).toMatch(/at most 20/);
      // Closing one frees a place.
      open.pop()?.ctrl.abort();
      let again = await stream(third.cookie!);
      for (let i = 0; again.status !== 200 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await stream(third.cookie!);
      }
      expect(again.status).toBe(200);
      open.push(again);
    } finally {
      for (const s of open) s.ctrl.abort();
    }
  });
});
