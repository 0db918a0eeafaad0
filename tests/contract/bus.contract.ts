/** The Bus contract: every implementation must pass it. */
import { describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from '../../server/bus/update-bus';

/** `makePair` returns two instances that model two server processes sharing one medium. */
export function runBusContract(name: string, makePair: () => [Bus, Bus]): void {
  describe(`Bus contract: ${name}`, () => {
    const flush = () => new Promise((r) => setTimeout(r, 20));

    it('delivers a publication to subscribers of that document on other instances', async () => {
      const [a, b] = makePair();
      const got: BusMessage[] = [];
      b.subscribe('c_1', (m) => got.push(m));
      a.publish({ kind: 'doc-update', doc: 'c_1', payload: new Uint8Array([1]) });
      await flush();
      expect(got.map((m) => [m.kind, m.doc, [...m.payload]])).toEqual([['doc-update', 'c_1', [1]]]);
      await a.close();
      await b.close();
    });

    it('never delivers an instance its own publications', async () => {
      const [a, b] = makePair();
      const own: BusMessage[] = [];
      a.subscribe('c_1', (m) => own.push(m));
      a.publish({ kind: 'awareness', doc: 'c_1', payload: new Uint8Array([2]) });
      await flush();
      expect(own).toEqual([]);
      await a.close();
      await b.close();
    });

    it('keeps documents apart and stops after unsubscribe', async () => {
      const [a, b] = makePair();
      const got: string[] = [];
      const off = b.subscribe('c_1', (m) => got.push(m.doc));
      b.subscribe('c_2', (m) => got.push(m.doc));
      a.publish({ kind: 'doc-update', doc: 'c_2', payload: new Uint8Array([3]) });
      off();
      a.publish({ kind: 'doc-update', doc: 'c_1', payload: new Uint8Array([4]) });
      await flush();
      expect(got).toEqual(['c_2']);
      await a.close();
      await b.close();
    });

    it('delivers nothing after close', async () => {
      const [a, b] = makePair();
      const got: BusMessage[] = [];
      b.subscribe('c_1', (m) => got.push(m));
      await b.close();
      a.publish({ kind: 'doc-update', doc: 'c_1', payload: new Uint8Array([5]) });
      await flush();
      expect(got).toEqual([]);
      await a.close();
    });
  });
}
