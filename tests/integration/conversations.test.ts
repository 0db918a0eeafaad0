import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';
import type { ConversationSummary, DirectoryUser, HistoryPage } from '../../shared/api';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  carol = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice Liddell');
  await bob.register('bob@example.com', 'Bob Builder');
  await carol.register('carol@example.com', 'Carol Danvers');
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  carol.destroy();
  await server.stop();
  server.cleanup();
});

describe('directory and conversations', () => {
  it('finds people by name and by their whole e-mail, case-insensitively, excluding yourself', async () => {
    const byName = await alice.request<{ users: DirectoryUser[] }>('GET', '/api/users?q=BUILD');
    expect(byName.body.users.map((u) => u.displayName)).toEqual(['Bob Builder']);
    const byEmail = await alice.request<{ users: DirectoryUser[] }>(
      'GET',
      '/api/users?q=Carol@EXAMPLE.com',
    );
    expect(byEmail.body.users.map((u) => u.displayName)).toEqual(['Carol Danvers']);
    const self = await alice.request<{ users: DirectoryUser[] }>('GET', '/api/users?q=alice');
    expect(self.body.users).toEqual([]);
    const wildcard = await alice.request<{ users: DirectoryUser[] }>('GET', '/api/users?q=%25');
    expect(wildcard.body.users).toEqual([]);
    expect((await new TestClient(server.origin).request('GET', '/api/users?q=a')).status).toBe(401);
  });

  it('gives both sides the same conversation, even when opened concurrently', async () => {
    const [a, b] = await Promise.all([alice.open(bob.user!.id), bob.open(alice.user!.id)]);
    expect(a.id).toBe(b.id);
    expect(a.doc).toBe(a.id);
    expect(a.peer.displayName).toBe('Bob Builder');
    expect(b.peer.displayName).toBe('Alice Liddell');
    const again = await alice.open(bob.user!.id);
    expect(again.id).toBe(a.id);
  });

  it('returns history pages newest first, every message exactly once', async () => {
    const conv = await alice.open(carol.user!.id);
    const dev = await alice.connect(server.wsUrl, conv.doc);
    const base = Date.now() - 10_000;
    for (let i = 0; i < 23; i++) dev.send(alice.user!.id, `message ${i}`, base + (i % 5)); // many equal timestamps
    await waitFor(() => dev.allAcked(), 10_000, 'acks');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=5&before=${encodeURIComponent(cursor)}` : '?limit=5';
      const r = await carol.request<HistoryPage>(
        'GET',
        `/api/conversations/${conv.id}/messages${q}`,
      );
      expect(r.status).toBe(200);
      for (let i = 1; i < r.body.messages.length; i++) {
        expect(r.body.messages[i - 1]!.at).toBeGreaterThanOrEqual(r.body.messages[i]!.at);
      }
      seen.push(...r.body.messages.map((m) => m.text));
      cursor = r.body.next;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const list = await carol.request<{ conversations: ConversationSummary[] }>(
      'GET',
      '/api/conversations',
    );
    expect(list.body.conversations[0]?.lastMessage?.text).toMatch(/^message /);
    dev.destroy();
  });

  it('refuses history to someone outside the conversation', async () => {
    const conv = await alice.open(bob.user!.id);
    const r = await carol.request<{ error: { code: string } }>(
      'GET',
      `/api/conversations/${conv.id}/messages`,
    );
    expect(r.status).toBe(403);
    expect(
      (await carol.request('GET', `/api/conversations/c_doesnotexistdoesnotex/messages`)).status,
    ).toBe(404);
    expect(
      (await carol.request('GET', `/api/conversations/${conv.id}/messages?limit=5000`)).status,
    ).toBe(403);
    expect(
      (await alice.request('GET', `/api/conversations/${conv.id}/messages?limit=5000`)).status,
    ).toBe(400);
    expect(
      (await alice.request('GET', `/api/conversations/${conv.id}/messages?before=garbage`)).status,
    ).toBe(400);
  });

  it('validates the peer of a new conversation', async () => {
    expect((await alice.request('POST', '/api/conversations', { peerId: 42 })).status).toBe(400);
    expect(
      (await alice.request('POST', '/api/conversations', { peerId: alice.user!.id })).status,
    ).toBe(400);
    expect(
      (await alice.request('POST', '/api/conversations', { peerId: 'u_aaaaaaaaaaaaaaaaaaaa' }))
        .status,
    ).toBe(404);
  });
});
