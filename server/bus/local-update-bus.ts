/**
 * In-process Bus. Each server process holds one instance per "node"; several
 * instances can share a LocalHub to model several processes in tests.
 */
import type { Bus, BusMessage } from './update-bus';

type Listener = { bus: LocalUpdateBus; onMessage: (m: BusMessage) => void };

/** The shared medium several LocalUpdateBus instances talk through. */
export class LocalHub {
  readonly listeners = new Map<string, Set<Listener>>();
}

export class LocalUpdateBus implements Bus {
  readonly lossy = false;
  private closed = false;
  private readonly mine = new Set<Listener>();

  constructor(private readonly hub: LocalHub = new LocalHub()) {}

  publish(message: BusMessage): void {
    if (this.closed) return;
    const listeners = this.hub.listeners.get(message.doc);
    if (!listeners) return;
    for (const l of listeners) {
      if (l.bus !== this) l.onMessage(message);
    }
  }

  subscribe(doc: string, onMessage: (message: BusMessage) => void): () => void {
    const listener: Listener = { bus: this, onMessage };
    let set = this.hub.listeners.get(doc);
    if (!set) {
      set = new Set();
      this.hub.listeners.set(doc, set);
    }
    set.add(listener);
    this.mine.add(listener);
    return () => {
      this.mine.delete(listener);
      const s = this.hub.listeners.get(doc);
      s?.delete(listener);
      if (s && s.size === 0) this.hub.listeners.delete(doc);
    };
  }

  /** In-process delivery is never lost: no gaps to report. */
  onGap(): () => void {
    return () => {};
  }

  close(): Promise<void> {
    this.closed = true;
    for (const l of this.mine) {
      for (const [doc, set] of this.hub.listeners) {
        set.delete(l);
        if (set.size === 0) this.hub.listeners.delete(doc);
      }
    }
    this.mine.clear();
    return Promise.resolve();
  }
}
