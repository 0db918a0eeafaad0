/**
 * The Bus contract: every implementation must pass it. Absence is asserted only after a
 * barrier message published later on the same channel has arrived (no fixed sleeps).
 */
import { describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from '../../server/bus/update-bus';

export interface BusPair {
  a: Bus;
  b: Bus;
  /** Resolves once subscriptions made so far are active (a remote medium confirms them). */
  settle(): Promise<void>;
  teardown(): Promise<void>;
}

const bytes = (...v: number[]): Uint8Array => new Uint8Array(v);

/** Collects messages and resolves waiters when one matching arrives. */
function collector() {
  const got: BusMessage[] = [];
  const waiters: { match: (m: BusMessage) => boolean; resolve: () => void }[] = [];
  return {
    got,
    on: (m: BusMessage): void => {
      got.push(m);
      for (const w of [...waiters])
        if (w.match(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
    },
    until: (match: (m: BusMessage) => boolean): Promise<void> =>
      got.some(match)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ match, resolve })),
  };
}

/** The first payload byte (every message these tests send carries a payload). */
const first = (m: BusMessage): number | undefined => ('payload' in m ? m.payload[0] : undefined);
const isBarrier = (m: BusMessage): boolean => first(m) === 255;

/** `makePair` returns two instances that model two server processes sharing one medium. */
export function runBusContract(name: string, makePair: () => Promise<BusPair>): void {
  describe(`Bus contract: ${name}`, () => {
    it('delivers a publication, with its sequence, to subscribers on other instances', async () => {
      const p = await makePair();
      const c = collector();
      p.b.subscribe('c_1', c.on);
      await p.settle();
      p.a.publish({ kind: 'doc-update', doc: 'c_1', payload: bytes(1), seq: 7 });
      p.a.publish({ kind: 'awareness', doc: 'c_1', payload: bytes(2) });
      await c.until((m) => m.kind === 'awareness');
      expect(c.got.map((m) => [m.kind, m.doc, 'payload' in m ? [...m.payload] : []])).toEqual([
        ['doc-update', 'c_1', [1]],
        ['awareness', 'c_1', [2]],
      ]);
      const head = c.got[0];
      expect(head?.kind === 'doc-update' ? head.seq : null).toBe(7);
      await p.teardown();
    });

    it('never delivers an instance its own publications', async () => {
      const p = await makePair();
      const own = collector();
      const other = collector();
      p.a.subscribe('c_1', own.on);
      p.b.subscribe('c_1', other.on);
      await p.settle();
      p.a.publish({ kind: 'awareness', doc: 'c_1', payload: bytes(2) });
      // Barrier: b publishes after a; once a hears it, a's own message would have arrived.
      p.b.publish({ kind: 'doc-update', doc: 'c_1', payload: bytes(255) });
      await own.until(isBarrier);
      await other.until((m) => first(m) === 2);
      expect(own.got.map(first)).toEqual([255]);
      await p.teardown();
    });

    it('keeps documents apart and stops after unsubscribe', async () => {
      const p = await makePair();
      const one = collector();
      const two = collector();
      const off = p.b.subscribe('c_1', one.on);
      p.b.subscribe('c_2', two.on);
      await p.settle();
      p.a.publish({ kind: 'doc-update', doc: 'c_2', payload: bytes(3) });
      await two.until((m) => first(m) === 3);
      expect(one.got).toEqual([]);
      off();
      const again = collector();
      p.b.subscribe('c_3', again.on);
      await p.settle();
      p.a.publish({ kind: 'doc-update', doc: 'c_1', payload: bytes(4) });
      p.a.publish({ kind: 'doc-update', doc: 'c_3', payload: bytes(255) });
      await again.until(isBarrier);
      expect(one.got).toEqual([]);
      expect(two.got.map((m) => m.doc)).toEqual(['c_2']);
      await p.teardown();
    });

    it("carries receipts, seals and an update's writer and new client ids", async () => {
      const p = await makePair();
      const c = collector();
      p.b.subscribe('c_1', c.on);
      await p.settle();
      p.a.publish({
        kind: 'doc-update',
        doc: 'c_1',
        payload: bytes(1),
        seq: 3,
        userId: 'u_a',
        newClients: [42, 7],
      });
      p.a.publish({ kind: 'received', doc: 'c_1', userId: 'u_b', payload: bytes(5, 6) });
      p.a.publish({ kind: 'sealed', doc: 'c_1', live: 'c_1.1' });
      await c.until((m) => m.kind === 'sealed');
      const [u, r, s] = c.got;
      expect(u).toMatchObject({ kind: 'doc-update', seq: 3, userId: 'u_a', newClients: [42, 7] });
      expect(r?.kind === 'received' ? [r.userId, [...r.payload]] : null).toEqual(['u_b', [5, 6]]);
      expect(s).toEqual({ kind: 'sealed', doc: 'c_1', live: 'c_1.1' });
      await p.teardown();
    });

    it('delivers to every subscriber of a document on the receiving instance', async () => {
      const p = await makePair();
      const x = collector();
      const y = collector();
      p.b.subscribe('c_1', x.on);
      p.b.subscribe('c_1', y.on);
      await p.settle();
      p.a.publish({ kind: 'doc-update', doc: 'c_1', payload: bytes(9) });
      await x.until((m) => first(m) === 9);
      await y.until((m) => first(m) === 9);
      await p.teardown();
    });
  });
}
