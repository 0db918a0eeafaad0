/**
 * In-process Signals. Several instances can share a LocalSignalHub to model several
 * processes in tests; each signal reaches every instance on the hub, the publisher first.
 */
import type { Signal, Signals } from './signals';

/** The shared medium several LocalSignals instances talk through. */
export class LocalSignalHub {
  readonly members = new Set<LocalSignals>();
}

export class LocalSignals implements Signals {
  private readonly listeners = new Set<(s: Signal) => void>();
  private closed = false;

  constructor(private readonly hub: LocalSignalHub = new LocalSignalHub()) {
    hub.members.add(this);
  }

  publish(signal: Signal): void {
    if (this.closed) return;
    this.deliver(signal);
    for (const m of this.hub.members) if (m !== this) m.deliver(signal);
  }

  private deliver(signal: Signal): void {
    if (this.closed) return;
    for (const l of [...this.listeners]) l(signal);
  }

  subscribe(onSignal: (signal: Signal) => void): () => void {
    this.listeners.add(onSignal);
    return () => this.listeners.delete(onSignal);
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.hub.members.delete(this);
    return Promise.resolve();
  }
}
