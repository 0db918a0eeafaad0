/**
 * The push requests themselves, in a worker thread: RFC 8291 encryption (a fresh ECDH key
 * pair, HKDF and AES-GCM per message, done by web-push) and the HTTPS request to the push
 * service cost about 1 ms of CPU per push, which on the main thread delayed every socket's
 * acks while many recipients were away (ack p50 4 → 180 ms at 1,000 pushes/s). The main
 * thread still decides (the notifier), checks the endpoint and signs VAPID (cached).
 *
 * A worker that dies fails the requests it held (logged and counted like any failed push)
 * and the next request starts a new one.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';

export interface DeliveryRequest {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The payload's JSON, encrypted for the device in the worker. */
  payload: string;
  ttl: number;
  urgency: 'high' | 'normal';
  topic: string;
  /** The VAPID `Authorization` header for the endpoint's push service. */
  authorization: string;
}

/** The push service's HTTP status, or why no answer came. */
export type DeliveryResult = { status: number } | { error: string };

// Eval workers are CommonJS; web-push's resolved path is passed in.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const webpush = require(workerData.webPush);
async function deliver(m) {
  const details = webpush.generateRequestDetails(
    { endpoint: m.endpoint, keys: m.keys },
    m.payload,
    { TTL: m.ttl, urgency: m.urgency, topic: m.topic },
  );
  // The request follows the endpoint's own scheme and never a redirect (a push service has
  // no reason to send one).
  const res = await fetch(details.endpoint, {
    method: details.method,
    headers: { ...details.headers, Authorization: m.authorization },
    body: details.body ? new Uint8Array(details.body) : null,
    redirect: 'error',
    signal: AbortSignal.timeout(10000),
  });
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
}
parentPort.on('message', (m) => {
  if (m === 'stop') return parentPort.close();
  deliver(m).then(
    (status) => parentPort.postMessage({ id: m.id, status }),
    (e) => parentPort.postMessage({ id: m.id, error: String(e) }),
  );
});
`;

interface Answer {
  id: number;
  status?: number;
  error?: string;
}

export class PushDelivery {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, (r: DeliveryResult) => void>();

  constructor(private readonly log: Logger) {}

  send(request: DeliveryRequest): Promise<DeliveryResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    // Held requests keep the process alive (shutdown waits for the notifier's pushes).
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...request, id });
    });
  }

  /** Stop the worker (shutdown); requests still held answer with an error. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise((resolve) => w.once('exit', resolve));
    w.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    await w.terminate();
    this.failAll('the push worker stopped');
  }

  private start(): Worker {
    const webPush = createRequire(import.meta.url).resolve('web-push');
    const w = new Worker(WORKER, { eval: true, workerData: { webPush } });
    w.on('message', (a: Answer) => {
      const resolve = this.pending.get(a.id);
      this.pending.delete(a.id);
      if (this.pending.size === 0) w.unref();
      resolve?.(a.status !== undefined ? { status: a.status } : { error: a.error ?? 'no answer' });
    });
    const gone = (why: string): void => {
      if (this.worker !== w) return;
      this.worker = null;
      this.log.warn('push worker stopped', { error: why });
      this.failAll(why);
    };
    w.on('error', (e) => gone(String(e)));
    w.on('exit', (code) => gone(`exit ${code}`));
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(why: string): void {
    for (const resolve of this.pending.values()) resolve({ error: why });
    this.pending.clear();
  }
}
