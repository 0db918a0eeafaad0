/**
 * The data layer's observable primitive: an immutable snapshot plus `subscribe(fn)`.
 * Lit controllers, tests and other stores read `snapshot` and re-read it on change.
 */

/** Anything that exposes a snapshot and tells subscribers when it changes. */
export interface Subscribable<T> {
  /** The current value; a new object after every change (compare by identity). */
  readonly snapshot: T;
  /** Call `fn` after every change; returns the function that stops it. */
  subscribe(fn: () => void): () => void;
}

/** A minimal store: subclasses call `set()` with the next snapshot. */
export class SnapshotStore<T> implements Subscribable<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private current: T) {}

  get snapshot(): T {
    return this.current;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Replace the snapshot and notify; a no-op when `next` is the current snapshot. */
  protected set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    // Copy: a listener may unsubscribe (or subscribe) while we iterate.
    for (const fn of [...this.listeners]) fn();
  }

  /** Shallow-merge `patch` into an object snapshot. */
  protected patch(this: SnapshotStore<T & object>, patch: Partial<T>): void {
    this.set({ ...this.current, ...patch });
  }
}
