/**
 * Validation cost per update on a large conversation. Builds a document of N messages
 * (default 100,000) in memory, as the server holds it, then times `validateUpdate` on a
 * one-message append, a read-marker move and a delete of one of your own messages — each
 * checked against the full document, never applied, so the same update is timed repeatedly.
 *
 *   npx tsx bench/validation.ts [messages]
 */
import * as Y from 'yjs';
import {
  validateUpdate,
  type MessageFacts,
  type ValidationContext,
} from '../server/sync/validate-update';
import { DocMessageIds } from '../server/sync/doc-messages';
import { newMessageId, type ChatMessage } from '../shared/schema';

const total = Number(process.argv[2] ?? 100_000);
const alice = 'u_aliceaaaaaaaaaaaaaaa';
const bob = 'u_bobbbbbbbbbbbbbbbbbb';

const server = new Y.Doc();
const messages = new Map<string, MessageFacts>();
const aliceDoc = new Y.Doc();
const bobDoc = new Y.Doc();
const clients = new Map<number, string>([
  [aliceDoc.clientID, alice],
  [bobDoc.clientID, bob],
]);
const relay = (from: Y.Doc, to: Y.Doc): void => {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
};

const t0 = performance.now();
const start = Date.now() - total;
for (let i = 0; i < total; i += 100) {
  // Alternate authors in batches of 100 messages, one message per push (one item each).
  const [doc, who, other] =
    (i / 100) % 2 === 0 ? [aliceDoc, alice, bobDoc] : [bobDoc, bob, aliceDoc];
  const arr = doc.getArray<ChatMessage>('messages');
  doc.transact(() => {
    for (let j = 0; j < 100 && i + j < total; j++) {
      const m = {
        id: newMessageId(),
        from: who,
        text: `message ${i + j}: some ordinary words`,
        at: start + i + j,
      };
      arr.push([m]);
      messages.set(m.id, { from: who, at: m.at, stored: m.at });
    }
  });
  relay(doc, other);
}
relay(aliceDoc, server);
relay(bobDoc, server);
const built = performance.now() - t0;
console.log(
  `document: ${server.getArray('messages').length} messages, ${Y.encodeStateAsUpdate(server).byteLength} bytes (built in ${built.toFixed(0)} ms)`,
);

/** The next change Alice's device sends (timed against the server's document, then applied). */
function nextUpdate(change: (d: Y.Doc) => void): Uint8Array {
  let out: Uint8Array | null = null;
  const h = (u: Uint8Array): void => {
    out = u;
  };
  aliceDoc.on('update', h);
  change(aliceDoc);
  aliceDoc.off('update', h);
  if (!out) throw new Error('no update produced');
  return out;
}

function time(label: string, update: Uint8Array, runs = 5000): void {
  const ctx: ValidationContext = {
    doc: server,
    clients,
    messages,
    here: new DocMessageIds(server).ids,
    userId: alice,
    now: Date.now(),
    editWindowMs: 24 * 3600_000,
    editGraceMs: 72 * 3600_000,
  };
  const first = validateUpdate(ctx, update);
  if (first.kind !== 'accept') throw new Error(`${label}: ${first.kind} ${first.reason}`);
  for (let i = 0; i < 200; i++) validateUpdate(ctx, update); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    validateUpdate(ctx, update);
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  const us = (q: number): string =>
    (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 1000).toFixed(1);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length) * 1000;
  Y.applyUpdate(server, update); // accepted: the next change builds on it
  console.log(
    `${label.padEnd(26)} mean ${mean.toFixed(1).padStart(6)} µs   p50 ${us(0.5).padStart(6)} µs   p99 ${us(0.99).padStart(6)} µs   (${runs} runs, ${update.byteLength} bytes)`,
  );
}

time(
  'append one message',
  nextUpdate((d) =>
    d
      .getArray<ChatMessage>('messages')
      .push([{ id: newMessageId(), from: alice, text: 'hello there', at: Date.now() }]),
  ),
);
const lastId = aliceDoc.getArray<ChatMessage>('messages').get(total - 1).id;
time(
  'move own read marker',
  nextUpdate((d) => d.getMap('reads').set(alice, { upTo: lastId, at: Date.now() })),
);
const mine = aliceDoc
  .getArray<ChatMessage>('messages')
  .toArray()
  .findIndex((m) => m.from === alice);
time(
  'delete own message',
  nextUpdate((d) => d.getArray('messages').delete(mine, 1)),
);
