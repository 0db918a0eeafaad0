/**
 * The admin CLI in cluster mode (issue #15): it works on the cluster's PostgreSQL and tells
 * every process through the Redis signals channel, so disabling a user closes their socket
 * and event stream on a process the CLI never talked to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient } from '../helpers/client';
import { adminJson, runAdminCli, tokenOf } from '../helpers/admin-cli';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

/** An `/api/events` stream on `origin` that settles `ended` when the server ends it. */
async function watchStream(c: TestClient) {
  const ctrl = new AbortController();
  const res = await fetch(`${c.origin}/api/events`, {
    headers: { Cookie: c.cookie ?? '', Origin: CLUSTER_ORIGIN },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return true;
  })();
  return { ended, close: () => ctrl.abort() };
}

describe('admin CLI in cluster mode', { timeout: 120_000 }, () => {
  it('users disable closes the socket and stream on another process; sign-in is refused everywhere', async () => {
    const kim = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
    await kim.register('kim@example.com', 'Kim');
    const lee = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
    await lee.register('lee@example.com', 'Lee');
    const conv = await kim.open(lee.user!.id);
    // Kim's socket and stream are on process 1.
    const onB = kim.via(cluster.nodes[1]!.origin);
    const device = await onB.connect(cluster.wsUrl(1), conv.doc);
    const stream = await watchStream(onB);
    const closed = device.nextClose();
    const r = await runAdminCli(['users', 'disable', 'kim@example.com'], cluster.env);
    expect(r.code).toBe(0);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect(await stream.ended).toBe(true);
    for (const node of cluster.nodes) {
      const login = await new TestClient(node.origin, CLUSTER_ORIGIN).request<{
        error: { code: string };
      }>('POST', '/api/auth/login', {
        email: 'kim@example.com',
        password: 'correct horse battery',
      });
      expect(login.body.error.code).toBe('account-disabled');
    }
    onB.destroy();
  });

  it('registration, invites, reset links and the audit log live in PostgreSQL', async () => {
    expect((await adminJson<{ mode: string }>(['registration', 'invite'], cluster.env)).mode).toBe(
      'invite',
    );
    const made = await adminJson<{ code: string; link: string }>(
      ['invites', 'create', '--uses', '1'],
      cluster.env,
    );
    expect(made.link.startsWith(`${CLUSTER_ORIGIN}/sign-up?invite=`)).toBe(true);
    const signUp = (origin: string) =>
      new TestClient(origin, CLUSTER_ORIGIN).request('POST', '/api/auth/register', {
        email: `inv-${Math.random().toString(36).slice(2)}@example.com`,
        password: 'correct horse battery',
        displayName: 'Invited',
        invite: made.code,
      });
    const [a, b] = await Promise.all([
      signUp(cluster.nodes[0]!.origin),
      signUp(cluster.nodes[1]!.origin),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 403]);
    const link = await adminJson<{ link: string }>(
      ['users', 'reset-password', 'lee@example.com'],
      cluster.env,
    );
    const reset = await new TestClient(cluster.nodes[1]!.origin, CLUSTER_ORIGIN).request(
      'POST',
      '/api/auth/reset',
      { token: tokenOf(link.link), password: 'a new password for lee' },
    );
    expect(reset.status).toBe(200);
    const audit = await runAdminCli(['audit'], cluster.env);
    for (const action of [
      'users.disable',
      'registration',
      'invites.create',
      'users.reset-password',
    ])
      expect(audit.stdout).toContain(action);
    expect((await runAdminCli(['registration', 'open'], cluster.env)).code).toBe(0);
  });
});
