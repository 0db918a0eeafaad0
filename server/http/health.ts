/**
 * Health for balancers and supervisors. Both are public, so they say nothing about load:
 * - `GET /healthz`: the process answers (cheap, touches nothing).
 * - `GET /readyz`: the process can serve: the database answers and, in cluster mode, Redis
 *   answers. 503 naming which one failed; the reason goes to the log, not to the caller.
 */
import { Router } from 'express';
import type { Logger } from '../logger';

/** A readiness check: resolves when the dependency answers, rejects (or hangs) otherwise. */
export type ReadinessCheck = () => unknown;

/** A check that has not answered in this long counts as failed. */
const CHECK_TIMEOUT_MS = 3000;

async function run(check: ReadinessCheck): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 3 s')), CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(checks: Record<string, ReadinessCheck>, log: Logger): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const names = Object.keys(checks);
    const results = await Promise.allSettled(names.map((n) => run(checks[n]!)));
    const status: Record<string, 'ok' | 'failed'> = {};
    const failed: string[] = [];
    results.forEach((r, i) => {
      const name = names[i]!;
      status[name] = r.status === 'fulfilled' ? 'ok' : 'failed';
      if (r.status === 'rejected') {
        failed.push(name);
        log.warn('readiness check failed', { check: name, error: String(r.reason) });
      }
    });
    if (failed.length === 0) {
      res.json({ ok: true, checks: status });
      return;
    }
    res.status(503).json({
      ok: false,
      checks: status,
      error: { code: 'unavailable', message: `Not ready: ${failed.join(', ')} did not answer.` },
    });
  });
  return router;
}
