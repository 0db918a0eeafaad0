/**
 * The shipped Caddyfile (deploy/caddy/Caddyfile), run by Caddy in front of a real Parley
 * process the way docs/operations.md deploys it (TRUST_PROXY=loopback, PUBLIC_ORIGIN the
 * proxy's): people talk over WebSockets through it, the event stream is not held back, the
 * request id Caddy makes reaches Parley's log, /metrics stays private, bodies are capped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import { startCaddy, type Caddy } from '../helpers/caddy';
import { TestClient, openEvents, waitFor } from '../helpers/client';

const TOKEN = 'caddy-suite-metrics-token-0123456789';
let dir: string;
let server: ChildServer;
let caddy: Caddy;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-caddy-suite-'));
  const caddyPort = await freePort();
  const port = await freePort();
  server = await startChildServer(port, dir, {
    PUBLIC_ORIGIN: `http://127.0.0.1:${caddyPort}`,
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'info',
    METRICS_TOKEN: TOKEN,
  });
  caddy = await startCaddy(caddyPort, `127.0.0.1:${port}`);
}, 60_000);

afterAll(async () => {
  await caddy?.stop();
  if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
    const exited = new Promise((r) => server.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('behind the shipped Caddyfile', () => {
  it('two people talk over sockets through it, and the event stream is not held back', async () => {
    const wsUrl = `${caddy.origin.replace('http', 'ws')}/sync`;
    const ann = new TestClient(caddy.origin);
    const ben = new TestClient(caddy.origin);
    await ann.register('caddy-ann@example.com', 'Ann');
    await ben.register('caddy-ben@example.com', 'Ben');
    const events = await openEvents(ben);
    const c = await ann.open(ben.user!.id);
    const a = await ann.connect(wsUrl, c.doc);
    const b = await ben.connect(wsUrl, c.doc);
    a.send(ann.user!.id, 'through caddy');
    await waitFor(() => b.texts().includes('through caddy'), 10_000, 'Ben receives it');
    b.send(ben.user!.id, 'and back');
    await waitFor(() => a.texts().includes('and back'), 10_000, 'Ann receives the reply');
    // The list update for Ben arrives while the stream stays open (a buffering or
    // compressing proxy would hold this small event back until its 20 s heartbeat).
    await waitFor(
      () => events.events.some((e) => e.type === 'conversation'),
      10_000,
      'a conversation event on the open stream',
    );
    events.close();
    a.destroy();
    b.destroy();
  });

  it("Caddy's request id reaches Parley and its log; a client's own id does not", async () => {
    const r = await fetch(`${caddy.origin}/api/me`, { headers: { 'X-Request-Id': 'mine-1' } });
    expect(r.status).toBe(401);
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(
      () => server.output().includes(`"id":"${id}"`),
      5000,
      'the request line with that id in the log',
    );
    expect(server.output()).not.toContain('mine-1');
  });

  it('keeps /metrics private, even with the token', async () => {
    const r = await fetch(`${caddy.origin}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('parley_');
    // The process itself serves it to the token (the operator's scraper, on its address).
    const direct = await fetch(`${server.origin}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(direct.status).toBe(200);
  });

  it('refuses bodies well past the API limit in the API’s error shape', async () => {
    const ann = new TestClient(caddy.origin);
    await ann.register('caddy-big@example.com', 'Big');
    // Past the API's 64 KiB: Parley answers itself.
    const mid = await ann.request('POST', '/api/conversations', { peerId: 'x'.repeat(100 * 1024) });
    expect(mid.status).toBe(413);
    expect(mid.body).toMatchObject({ error: { code: 'too-large' } });
    // Past Caddy's 128 KB: Caddy refuses it without handing it on.
    const big = await ann.request('POST', '/api/conversations', { peerId: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'too-large' } });
    expect(big.headers.get('content-type')).toContain('application/json');
  });

  it('answers in the API’s shape when no process is up', async () => {
    // Last: stops the process.
    const exited = new Promise((r) => server.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;
    const r = await fetch(`${caddy.origin}/api/me`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: { code: 'unavailable' } });
  });
});
