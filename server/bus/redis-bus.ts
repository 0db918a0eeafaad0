/**
 * Bus over Redis pub/sub, for cluster mode: one channel per document. Pub/sub is
 * at-most-once, so every doc-update carries the publisher's log sequence and a reconnect
 * tells subscribers to resync from the store (`onGap`); nothing here needs durability.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { createClient, type RedisClientType } from 'redis';
import type { Bus, BusMessage } from './update-bus';

export interface RedisBusOptions {
  /** redis://… of the deployment's Redis. */
  url: string;
  /** Prefix of every channel name (tests use a unique one per run). */
  prefix: string;
  /** Where connection errors go (a bus keeps working once Redis answers again). */
  onError?: (error: unknown) => void;
}

const KIND_UPDATE = 1;
const KIND_AWARENESS = 2;
const KIND_RECEIVED = 3;
const KIND_SEALED = 4;

/**
 * Frame: kind, instance id, then the kind's fields, then the publish time (ms since the
 * epoch; last and optional, so a frame without it still decodes: bus lag metrics).
 */
function encode(instance: Uint8Array, m: BusMessage): Buffer {
  const enc = encoding.createEncoder();
  switch (m.kind) {
    case 'doc-update':
      encoding.writeUint8(enc, KIND_UPDATE);
      encoding.writeVarUint8Array(enc, instance);
      encoding.writeVarUint(enc, m.seq ?? 0);
      encoding.writeVarString(enc, m.userId ?? '');
      encoding.writeVarUint(enc, m.newClients?.length ?? 0);
      for (const c of m.newClients ?? []) encoding.writeVarUint(enc, c);
      encoding.writeVarUint8Array(enc, m.payload);
      break;
    case 'awareness':
      encoding.writeUint8(enc, KIND_AWARENESS);
      encoding.writeVarUint8Array(enc, instance);
      encoding.writeVarUint8Array(enc, m.payload);
      break;
    case 'received':
      encoding.writeUint8(enc, KIND_RECEIVED);
      encoding.writeVarUint8Array(enc, instance);
      encoding.writeVarString(enc, m.userId);
      encoding.writeVarUint8Array(enc, m.payload);
      break;
    case 'sealed':
      encoding.writeUint8(enc, KIND_SEALED);
      encoding.writeVarUint8Array(enc, instance);
      encoding.writeVarString(enc, m.live);
      break;
  }
  encoding.writeVarUint(enc, Date.now());
  return Buffer.from(encoding.toUint8Array(enc));
}

interface Decoded {
  from: Uint8Array;
  message: BusMessage;
  /** When the publisher sent it (its clock), when the frame says. */
  sentAt?: number;
}

function decode(doc: string, raw: Buffer): Decoded | null {
  try {
    const dec = decoding.createDecoder(new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
    const got = decodeBody(doc, dec);
    if (got && decoding.hasContent(dec)) got.sentAt = decoding.readVarUint(dec);
    return got;
  } catch {
    return null; // not ours: another deployment sharing the prefix would be a misconfiguration
  }
}

function decodeBody(doc: string, dec: decoding.Decoder): Decoded | null {
  const kind = decoding.readUint8(dec);
  const from = decoding.readVarUint8Array(dec);
  switch (kind) {
    case KIND_UPDATE: {
      const seq = decoding.readVarUint(dec);
      const userId = decoding.readVarString(dec);
      const n = decoding.readVarUint(dec);
      if (n > 100_000) return null;
      const newClients: number[] = [];
      for (let i = 0; i < n; i++) newClients.push(decoding.readVarUint(dec));
      const payload = decoding.readVarUint8Array(dec);
      return {
        from,
        message: {
          kind: 'doc-update',
          doc,
          payload,
          seq: seq || undefined,
          userId: userId || undefined,
          newClients,
        },
      };
    }
    case KIND_AWARENESS:
      return {
        from,
        message: { kind: 'awareness', doc, payload: decoding.readVarUint8Array(dec) },
      };
    case KIND_RECEIVED: {
      const userId = decoding.readVarString(dec);
      return {
        from,
        message: { kind: 'received', doc, userId, payload: decoding.readVarUint8Array(dec) },
      };
    }
    case KIND_SEALED:
      return { from, message: { kind: 'sealed', doc, live: decoding.readVarString(dec) } };
    default:
      return null;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

export class RedisBus implements Bus {
  readonly lossy = true;
  private readonly instance = new Uint8Array(randomBytes(12));
  private readonly pub: RedisClientType;
  private readonly sub: RedisClientType;
  private readonly listeners = new Map<string, Set<(m: BusMessage) => void>>();
  private readonly gapListeners = new Set<() => void>();
  private readonly deliveryListeners = new Set<(lagMs: number) => void>();
  private closed = false;
  private everReady = false;
  /** Subscriptions sent to Redis and not yet confirmed. */
  private pending = new Set<Promise<void>>();

  private constructor(private readonly options: RedisBusOptions) {
    const onError = options.onError ?? (() => {});
    this.pub = createClient({ url: options.url });
    this.sub = this.pub.duplicate();
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    // node-redis resubscribes after a reconnect, but whatever was published meanwhile is
    // gone: tell the rooms to resync from the log.
    this.sub.on('ready', () => {
      if (this.everReady) for (const l of this.gapListeners) l();
      this.everReady = true;
    });
  }

  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    return bus;
  }

  private channel(doc: string): string {
    return `${this.options.prefix}doc:${doc}`;
  }

  publish(message: BusMessage): void {
    if (this.closed || !this.pub.isReady) return; // subscribers resync after their own gap
    this.pub
      .publish(this.channel(message.doc), encode(this.instance, message))
      .catch((e: unknown) => this.options.onError?.(e));
  }

  subscribe(doc: string, onMessage: (message: BusMessage) => void): () => void {
    let set = this.listeners.get(doc);
    if (!set) {
      const fresh = new Set<(m: BusMessage) => void>();
      this.listeners.set(doc, fresh);
      set = fresh;
      const subscribed = this.sub
        .subscribe(
          this.channel(doc),
          (raw: Buffer) => {
            const got = decode(doc, raw);
            if (!got || sameBytes(got.from, this.instance) || this.closed) return;
            if (got.sentAt !== undefined && this.deliveryListeners.size > 0) {
              const lag = Date.now() - got.sentAt;
              for (const l of this.deliveryListeners) l(lag);
            }
            for (const l of [...fresh]) l(got.message);
          },
          true,
        )
        .catch((e: unknown) => this.options.onError?.(e))
        .finally(() => this.pending.delete(subscribed));
      this.pending.add(subscribed);
    }
    set.add(onMessage);
    return () => {
      const s = this.listeners.get(doc);
      if (!s?.delete(onMessage) || s.size > 0) return;
      this.listeners.delete(doc);
      if (!this.closed)
        this.sub.unsubscribe(this.channel(doc)).catch((e: unknown) => this.options.onError?.(e));
    };
  }

  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  onDelivered(listener: (lagMs: number) => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  /** Resolves once every subscription made so far is active on the server (tests). */
  async ready(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.gapListeners.clear();
    this.deliveryListeners.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
