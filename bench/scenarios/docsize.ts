/**
 * docsize: what one Yjs conversation document costs as it grows, without a server: the
 * numbers behind the choice of how many messages a live document (epoch) may hold. The
 * documents have a real conversation's shape (authors alternating in turns of 5, one item
 * per turn, built from the same raw updates as the history seeding).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import type { Context, ScenarioResult } from '../lib/context';
import { RawAppender, selfCheck } from '../lib/raw-update';
import { newMessageId, type ChatMessage } from '../../shared/schema';
import { round } from '../lib/util';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 2 ** 20;
}

function median(f: () => number, runs: number): number {
  const v = Array.from({ length: runs }, f).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)]!;
}

/** A snapshot of a conversation of `n` messages in turns of `turn`. */
export function buildSnapshot(n: number, turn: number): Uint8Array {
  const authors = ['u_aaaaaaaaaaaaaaaaaaaa', 'u_bbbbbbbbbbbbbbbbbbbb'];
  const clients = [1111, 2222];
  const app = new RawAppender();
  const doc = new Y.Doc();
  const pad = 'lorem ipsum dolor sit amet, consectetur adipiscing';
  const at0 = Date.now() - n * 1000;
  for (let done = 0, t = 0; done < n; t++) {
    const k = t % 2;
    const contents: ChatMessage[] = [];
    for (let i = 0; i < turn && done < n; i++, done++) {
      const at = at0 + done * 1000;
      contents.push({ id: newMessageId(at), from: authors[k]!, text: `seed ${done} ${pad}`, at });
    }
    Y.applyUpdate(doc, app.append(clients[k]!, contents));
  }
  const snap = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return snap;
}

export async function docsize(ctx: Context): Promise<ScenarioResult> {
  selfCheck();
  const sizes = ctx.opts.smoke ? [500, 2000] : [1000, 5000, 10_000, 25_000, 50_000, 100_000];
  const turns = ctx.opts.turn ? [ctx.opts.turn] : [5, 1];
  const runs = ctx.opts.smoke ? 1 : 3;
  const result: ScenarioResult = {
    scenario: 'docsize',
    rows: [],
    columns: [
      'messages',
      'per turn',
      'snapshot KB',
      'load ms',
      'heap MB',
      'encode for new client ms',
      'toArray ms',
      'load ms per 1k msgs',
    ],
    targets: [],
    notes: [
      `One Y.Doc per size and turn length (messages per author turn: 5 is a chatty conversation, 1 strictly alternating, the worst case); median of ${runs}. "load" = new Y.Doc + applyUpdate(snapshot) (what the server does when a room loads and a new device does on its first sync); "heap" = JS heap + external held by the loaded document after a full GC; "encode" = Y.encodeStateAsUpdate (the server's sync step 2 to a device with nothing); "toArray" = reading every message (a client rendering the list). In-process, no server: the Yjs costs alone.`,
    ],
    profiles: [],
  };
  for (const turn of turns)
    for (const n of sizes) {
      ctx.log(`docsize: ${n} messages, ${turn} per turn`);
      const snap = buildSnapshot(n, turn);
      const load = median(() => {
        const t = performance.now();
        const d = new Y.Doc();
        Y.applyUpdate(d, snap);
        const ms = performance.now() - t;
        d.destroy();
        return ms;
      }, runs);
      const h0 = heapMb();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, snap);
      const h1 = heapMb();
      const encode = median(() => {
        const t = performance.now();
        Y.encodeStateAsUpdate(doc);
        return performance.now() - t;
      }, runs);
      const toArray = median(() => {
        const t = performance.now();
        doc.getArray('messages').toArray();
        return performance.now() - t;
      }, runs);
      doc.destroy();
      result.rows.push({
        messages: n,
        'per turn': turn,
        'snapshot KB': round(snap.byteLength / 1024),
        'load ms': round(load),
        'heap MB': round(h1 - h0),
        'encode for new client ms': round(encode),
        'toArray ms': round(toArray),
        'load ms per 1k msgs': round((load / n) * 1000),
      });
      await new Promise((r) => setImmediate(r));
    }
  return result;
}
