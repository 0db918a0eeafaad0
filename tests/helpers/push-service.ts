/**
 * A real HTTP endpoint on 127.0.0.1 standing in for a browser vendor's push service, and
 * devices with real subscription keys: every push the server sends is received here and
 * decrypted with the device's private key (RFC 8291, `http_ece`), as a browser would.
 */
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error http_ece ships no type declarations
import ece from 'http_ece';
import type { PushPayload } from '../../shared/push';

export interface ReceivedPush {
  /** The endpoint the push was sent to. */
  device: string;
  at: number;
  headers: Record<string, string | string[] | undefined>;
  payload: PushPayload;
}

/** A device's subscription keys: the P-256 private key (raw) and the auth secret. */
export interface DeviceKeys {
  privateKey: Buffer;
  auth: Buffer;
}

export class PushDevice {
  private readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth: Buffer;

  constructor(
    readonly name: string,
    readonly endpoint: string,
    keys?: DeviceKeys,
  ) {
    if (keys) this.ecdh.setPrivateKey(keys.privateKey);
    else this.ecdh.generateKeys();
    this.auth = keys?.auth ?? randomBytes(16);
  }

  /** The body of `POST /api/push/subscriptions`. */
  get subscription(): { endpoint: string; keys: { p256dh: string; auth: string } } {
    return {
      endpoint: this.endpoint,
      keys: {
        p256dh: this.ecdh.getPublicKey().toString('base64url'),
        auth: this.auth.toString('base64url'),
      },
    };
  }

  decrypt(body: Buffer): PushPayload {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- untyped library
    const plain = ece.decrypt(body, {
      version: 'aes128gcm',
      privateKey: this.ecdh,
      authSecret: this.auth.toString('base64url'),
    }) as Buffer;
    return JSON.parse(plain.toString('utf8')) as PushPayload;
  }
}

export class PushService {
  readonly received: ReceivedPush[] = [];
  private readonly devices = new Map<string, PushDevice>();
  /** Endpoints the push service says are gone (answers 410). */
  readonly gone = new Set<string>();
  /** Why pushes were refused (a missing, expired, misaddressed or forged VAPID token). */
  readonly refused: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<PushService> {
    let self: PushService | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => self?.onRequest(req.url ?? '', req.headers, Buffer.concat(chunks), res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    self = new PushService(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** A new endpoint of this push service (`keys`: a browser's, when it made them). */
  device(name: string, keys?: DeviceKeys, endpoint?: string): PushDevice {
    const d = new PushDevice(
      name,
      endpoint ?? `${this.origin}/push/${name}-${randomBytes(6).toString('hex')}`,
      keys,
    );
    this.devices.set(new URL(d.endpoint).pathname, d);
    return d;
  }

  /** Everything received for `device`, in order. */
  for(device: PushDevice): PushPayload[] {
    return this.received.filter((r) => r.device === device.endpoint).map((r) => r.payload);
  }

  /** Resolves once `check` holds over what was received (or throws after `timeoutMs`). */
  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private onRequest(
    url: string,
    headers: ReceivedPush['headers'],
    body: Buffer,
    res: import('node:http').ServerResponse,
  ): void {
    const path = new URL(url, this.origin).pathname;
    const device = this.devices.get(path);
    if (!device) {
      res.writeHead(404).end();
      return;
    }
    if (this.gone.has(device.endpoint)) {
      res.writeHead(410).end();
      return;
    }
    // As a real push service: no valid VAPID token for this origin, no delivery (RFC 8292).
    const vapid = vapidProblem(String(headers.authorization ?? ''), this.origin);
    if (vapid) {
      this.refused.push(vapid);
      res.writeHead(403).end(vapid);
      return;
    }
    this.received.push({
      device: device.endpoint,
      at: Date.now(),
      headers,
      payload: device.decrypt(body),
    });
    res.writeHead(201).end();
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** What is wrong with a `vapid t=<JWT>, k=<public key>` header for `audience`; null if nothing. */
export function vapidProblem(header: string, audience: string, now = Date.now()): string | null {
  const m = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(header);
  if (!m) return 'no VAPID authorization';
  const [, head, body, sig, k] = m as unknown as [string, string, string, string, string];
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (claims.aud !== audience) return `audience ${claims.aud} is not ${audience}`;
  const exp = (claims.exp ?? 0) * 1000;
  if (exp <= now || exp > now + 24 * 3600 * 1000) return 'expiry outside the next 24 hours';
  if (!claims.sub) return 'no subject';
  const raw = Buffer.from(k, 'base64url'); // 0x04 || x || y
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  return ok ? null : 'bad signature';
}
