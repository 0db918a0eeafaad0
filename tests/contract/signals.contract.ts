/** The Signals contract: every implementation must pass it (no fixed sleeps: barriers). */
import { describe, expect, it } from 'vitest';
import type { Signal, Signals } from '../../server/cluster/signals';

export interface SignalsPair {
  a: Signals;
  b: Signals;
  teardown(): Promise<void>;
}

function collector(s: Signals) {
  const got: Signal[] = [];
  const waiters: { match: (x: Signal) => boolean; resolve: () => void }[] = [];
  s.subscribe((x) => {
    got.push(x);
    for (const w of [...waiters])
      if (w.match(x)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  return {
    got,
    until: (match: (x: Signal) => boolean): Promise<void> =>
      got.some(match)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ match, resolve })),
  };
}

export function runSignalsContract(name: string, makePair: () => Promise<SignalsPair>): void {
  describe(`Signals contract: ${name}`, () => {
    it('acts on a signal in the publishing process at once and delivers it to the others', async () => {
      const p = await makePair();
      const a = collector(p.a);
      const b = collector(p.b);
      const revoke: Signal = { kind: 'revoke', userId: 'u_1', sid: null, except: 's_2' };
      p.a.publish(revoke);
      expect(a.got).toEqual([revoke]); // synchronous in the publisher
      await b.until((s) => s.kind === 'revoke');
      expect(b.got).toEqual([revoke]);
      await p.teardown();
    });

    it('delivers each signal once per process, in publication order', async () => {
      const p = await makePair();
      const a = collector(p.a);
      const b = collector(p.b);
      p.a.publish({ kind: 'policy', a: 'u_1', b: 'u_2' });
      p.a.publish({ kind: 'conversation', conversationId: 'c_1' });
      p.b.publish({ kind: 'conversation', conversationId: 'c_barrier' });
      await a.until((s) => s.kind === 'conversation' && s.conversationId === 'c_barrier');
      await b.until((s) => s.kind === 'conversation' && s.conversationId === 'c_1');
      expect(a.got.map((s) => s.kind)).toEqual(['policy', 'conversation', 'conversation']);
      expect(
        b.got.filter((s) => s.kind !== 'conversation' || s.conversationId !== 'c_barrier'),
      ).toEqual([
        { kind: 'policy', a: 'u_1', b: 'u_2' },
        { kind: 'conversation', conversationId: 'c_1' },
      ]);
      await p.teardown();
    });
  });
}
