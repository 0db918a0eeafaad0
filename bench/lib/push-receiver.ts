/**
 * The push service the push scenario's subscriptions point to: an HTTP endpoint on 127.0.0.1
 * in the bench process (the server sends to it with PUSH_ALLOW_PRIVATE_ENDPOINTS=1). Each
 * request is timed when its body has arrived, then decrypted with the device's keys (RFC
 * 8291, aes128gcm) by the tests' own `PushDevice`; the bench's message text in the payload
 * names the message and the time it was pushed into the sender's document.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PushDevice } from '../../tests/helpers/push-service';
import { Samples, nowMs } from './util';

interface Recipient {
  device: PushDevice;
  pushes: number;
  /** Highest message number (the generator's per-sender counter) a push named; -1: none. */
  maxSeq: number;
}

export class PushReceiver {
  private readonly recipients = new Map<string, Recipient>();
  /** Received − pushed into the sender's document, per push (ms). */
  readonly latency = new Samples(1 << 14);
  received = 0;
  /** Pushes whose payload named no bench message (another type, or text it could not read). */
  other = 0;
  failed = 0;
  firstAt = 0;
  lastAt = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<PushReceiver> {
    let self: PushReceiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = nowMs();
        const status = self ? self.onPush(req.url ?? '', Buffer.concat(chunks), at) : 503;
        res.writeHead(status).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new PushReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** A device with fresh keys for recipient `name`; its `subscription` is what to register. */
  device(name: string): PushDevice {
    const device = new PushDevice(name, `${this.origin}/push/${name}`);
    this.recipients.set(`/push/${name}`, { device, pushes: 0, maxSeq: -1 });
    return device;
  }

  private onPush(path: string, body: Buffer, at: number): number {
    const r = this.recipients.get(path);
    if (!r) return 404;
    if (this.received === 0) this.firstAt = at;
    this.lastAt = at;
    this.received++;
    r.pushes++;
    try {
      const p = r.device.decrypt(body);
      // "bench <n> <pushed at, ms> xxx…" (bench/worker.ts), possibly with " (k new messages)".
      const words = p.type === 'message' ? p.body.split(' ') : [];
      const seq = Number(words[1]);
      const sentAt = Number(words[2]);
      if (words[0] !== 'bench' || !Number.isFinite(seq) || !Number.isFinite(sentAt)) {
        this.other++;
        return 201;
      }
      r.maxSeq = Math.max(r.maxSeq, seq);
      this.latency.push(at - sentAt);
    } catch {
      this.failed++;
    }
    return 201;
  }

  /** Messages covered by a push: per recipient, every message up to the newest one pushed. */
  covered(): number {
    let n = 0;
    for (const r of this.recipients.values()) n += r.maxSeq + 1;
    return n;
  }

  /** Recipients that got no push at all. */
  silent(): number {
    let n = 0;
    for (const r of this.recipients.values()) if (r.pushes === 0) n++;
    return n;
  }

  /** Forget what was received (between windows). */
  reset(): void {
    this.latency.clear();
    this.received = 0;
    this.other = 0;
    this.failed = 0;
    for (const r of this.recipients.values()) {
      r.pushes = 0;
      r.maxSeq = -1;
    }
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}
