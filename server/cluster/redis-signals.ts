/**
 * Signals over Redis pub/sub (cluster mode): one channel per deployment prefix. The
 * publishing process acts at once; the others act when the message arrives. Messages that
 * do not parse as a signal are dropped.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { parseSignal, type Signal, type Signals } from './signals';

export interface RedisSignalsOptions {
  url: string;
  prefix: string;
  onError?: (error: unknown) => void;
}

export class RedisSignals implements Signals {
  private readonly instance = randomBytes(9).toString('base64url');
  private readonly pub: RedisClientType;
  private readonly sub: RedisClientType;
  private readonly listeners = new Set<(s: Signal) => void>();
  private closed = false;

  private constructor(private readonly options: RedisSignalsOptions) {
    const onError = options.onError ?? (() => {});
    this.pub = createClient({ url: options.url });
    this.sub = this.pub.duplicate();
    this.pub.on('error', onError);
    this.sub.on('error', onError);
  }

  static async connect(options: RedisSignalsOptions): Promise<RedisSignals> {
    const s = new RedisSignals(options);
    await Promise.all([s.pub.connect(), s.sub.connect()]);
    await s.sub.subscribe(s.channel, (raw: string) => s.receive(raw));
    return s;
  }

  private get channel(): string {
    return `${this.options.prefix}signals`;
  }

  private receive(raw: string): void {
    if (this.closed) return;
    let parsed: { from?: unknown; signal?: unknown };
    try {
      parsed = JSON.parse(raw) as { from?: unknown; signal?: unknown };
    } catch {
      return;
    }
    if (parsed.from === this.instance) return; // acted on when published
    const signal = parseSignal(parsed.signal);
    if (signal) this.deliver(signal);
  }

  private deliver(signal: Signal): void {
    for (const l of [...this.listeners]) l(signal);
  }

  publish(signal: Signal): void {
    if (this.closed) return;
    this.deliver(signal);
    this.pub
      .publish(this.channel, JSON.stringify({ from: this.instance, signal }))
      .catch((e: unknown) => this.options.onError?.(e));
  }

  subscribe(onSignal: (signal: Signal) => void): () => void {
    this.listeners.add(onSignal);
    return () => this.listeners.delete(onSignal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
