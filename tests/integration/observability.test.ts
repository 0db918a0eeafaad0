/**
 * What an operator's tools see of an embedded server: /healthz and /readyz, /metrics behind
 * its token or on its own loopback port (counting what users did), request ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, openEvents, waitFor } from '../helpers/client';
import { metric, scrape } from '../helpers/metrics';
import { CloseCode } from '../../shared/protocol';

const TOKEN = 'metrics-token-for-the-test-0123456789';

describe('an embedded server with METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metricsToken: TOKEN });
  });
  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('says it is alive and ready (its database answers)', async () => {
    const live = await fetch(`${server.origin}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    const ready = await fetch(`${server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { database: 'ok' } });
  });

  it('refuses /metrics without the token, or with a wrong one', async () => {
    const none = await scrape(`${server.origin}/metrics`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(none.text).not.toContain('parley_');
    const wrong = await scrape(`${server.origin}/metrics`, `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    const cookie = await fetch(`${server.origin}/metrics`, { headers: { Cookie: TOKEN } });
    expect(cookie.status).toBe(401);
  });

  it('counts a message that was sent, a refused update, open sockets and rooms', async () => {
    const before = await scrape(`${server.origin}/metrics`, TOKEN);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain/);
    const accepted0 = metric(before.text, 'parley_messages_accepted_total') ?? 0;
    const commits0 = metric(before.text, 'parley_commit_seconds_count') ?? 0;
    // Process metrics come with it (CPU, memory).
    expect(metric(before.text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(metric(before.text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const ann = new TestClient(server.origin);
    const ben = new TestClient(server.origin);
    await ann.register('metrics-ann@example.com', 'Ann');
    await ben.register('metrics-ben@example.com', 'Ben');
    const stream = await openEvents(ben);
    const c = await ann.open(ben.user!.id);
    const dev = await ann.connect(server.wsUrl, c.doc);
    dev.send(ann.user!.id, 'counted');
    await waitFor(() => dev.allAcked(), 10_000, 'the message acknowledged');

    const after = await scrape(`${server.origin}/metrics`, TOKEN);
    expect(metric(after.text, 'parley_messages_accepted_total')).toBe(accepted0 + 1);
    expect(metric(after.text, 'parley_commit_seconds_count')).toBeGreaterThan(commits0);
    expect(metric(after.text, 'parley_websocket_connections')).toBe(1);
    expect(metric(after.text, 'parley_rooms_loaded')).toBe(1);
    expect(metric(after.text, 'parley_event_streams')).toBe(1);
    stream.close();

    // A forged message (as Ben, on Ann's socket) is refused and counted as such.
    const refused0 = metric(after.text, 'parley_updates_refused_total', { reason: 'invalid' }) ?? 0;
    const closed = dev.nextClose();
    dev.send(ben.user!.id, 'forged');
    expect(await closed).toBe(CloseCode.invalidUpdate);
    const later = await scrape(`${server.origin}/metrics`, TOKEN);
    expect(metric(later.text, 'parley_updates_refused_total', { reason: 'invalid' })).toBe(
      refused0 + 1,
    );
    expect(metric(later.text, 'parley_messages_accepted_total')).toBe(accepted0 + 1);
    dev.destroy();
  });

  it('gives every request an id, and ignores one sent by a client that is not a trusted proxy', async () => {
    const a = await fetch(`${server.origin}/api/me`, { headers: { 'X-Request-Id': 'chosen-1' } });
    const id = a.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const b = await fetch(`${server.origin}/api/me`);
    expect(b.headers.get('x-request-id')).not.toBe(id);
  });
});

describe('an embedded server with METRICS_PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Behind a proxy on this machine (TRUST_PROXY=loopback): its request ids are kept.
    server = await startTestServer({ metricsPort: 0, trustProxy: 'loopback' });
  });
  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('serves metrics on 127.0.0.1:METRICS_PORT only, not on the main port', async () => {
    const port = server.app.metricsPort;
    expect(port).not.toBeNull();
    const own = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(own.status).toBe(200);
    expect(metric(own.text, 'parley_event_streams')).toBe(0);
    const other = await fetch(`http://127.0.0.1:${port}/api/me`);
    expect(other.status).toBe(404);
    const main = await scrape(`${server.origin}/metrics`);
    expect(main.status).toBe(404);
    expect(main.text).not.toContain('parley_');
    expect(server.app.metricsPort).not.toBe(server.app.port);
  });

  it("keeps the trusted proxy's X-Request-Id", async () => {
    const r = await fetch(`${server.origin}/api/me`, { headers: { 'X-Request-Id': 'nginx-42' } });
    expect(r.headers.get('x-request-id')).toBe('nginx-42');
  });
});
