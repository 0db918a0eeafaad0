/** Fakes for client data-layer tests in Node: an in-memory Storage and a local-only persistence. */
import type { LocalPersistence } from '../../../../client/data/conversation-sync';

export class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

/** A persistence that has "loaded" at once and remembers custom keys in memory. */
export function memoryPersistence(): LocalPersistence & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    whenSynced: Promise.resolve(),
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve(value);
    },
    destroy: () => Promise.resolve(),
  };
}

/** A fetch that answers from a routing function with JSON. */
export function jsonFetch(
  route: (method: string, path: string, body: unknown) => { status: number; body?: unknown },
): (input: string, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const { status, body: out } = route(init?.method ?? 'GET', input, body);
    return Promise.resolve(
      new Response(out === undefined ? null : JSON.stringify(out), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  };
}

/** Let queued microtasks and promise callbacks run. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
