/**
 * Differential fuzzer: the validator's verdict against what Yjs actually does. Every update
 * the validator accepts (as Alice) is applied to a copy of the document and must integrate
 * completely, leave Bob's entries alone, change exactly what the reported effects say, and
 * leave Bob able to write. FUZZ_RUNS=200000 runs it for minutes; CI runs 300 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { validateUpdate } from '../../../server/sync/validate-update';
import { Roots, type ChatMessage } from '../../../shared/schema';
import {
  ALICE,
  ALICE_CLIENT,
  BOB,
  BOB_CLIENT,
  NOW,
  cloneDoc,
  hasPending,
  makeFixture,
  message,
  type Fixture,
} from '../../helpers/validator-fixture';
import { encodeRawUpdate, type RawUpdate } from '../../helpers/yjs-encoder';
import { FRESH, hostileUpdate } from './hostile-update-arbitrary';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Everything of Bob's a hostile Alice must not change. */
function bobsEntries(doc: Y.Doc): unknown {
  const of = (root: string, keep: (k: string) => boolean): Record<string, unknown> =>
    Object.fromEntries(Object.entries(doc.getMap(root).toJSON()).filter(([k]) => keep(k)));
  const bobIds = new Set<string>();
  const messages = doc.getArray<ChatMessage>(Roots.messages).toArray();
  for (const m of messages) if (m.from === BOB) bobIds.add(m.id);
  return {
    messages: messages.filter((m) => m.from === BOB),
    reads: of(Roots.reads, (k) => k === BOB),
    edits: of(Roots.edits, (k) => bobIds.has(k)),
    reactions: of(Roots.reactions, (k) => k.includes(`:${BOB}:`)),
  };
}

/** Check one hostile update; returns the verdict's kind for statistics. */
export function checkOne(fx: Fixture, raw: RawUpdate): string {
  const bytes = encodeRawUpdate(raw);
  const before = Y.encodeStateAsUpdate(fx.doc);
  const verdict = validateUpdate(fx.ctx(ALICE), bytes);
  // Validation never touches the document.
  expect(Y.encodeStateAsUpdate(fx.doc)).toEqual(before);
  if (verdict.kind !== 'accept')
    return process.env.FUZZ_REASONS
      ? `${verdict.kind}: ${verdict.reason.replace(/[0-9]+/g, 'N')}`
      : verdict.kind;
  const fxs = verdict.effects;
  const doc = cloneDoc(fx.doc);
  const idsBefore = new Set(doc.getArray<ChatMessage>(Roots.messages).map((m) => m.id));
  const bobBefore = bobsEntries(doc);
  const readBefore = JSON.stringify(doc.getMap(Roots.reads).get(ALICE));
  const editsBefore = doc.getMap(Roots.edits).toJSON();
  Y.applyUpdate(doc, bytes); // (a) must not throw
  expect(hasPending(doc)).toBe(false); // (b)
  expect([...doc.share.keys()].every((k) => k in Roots)).toBe(true); // (c)
  expect(bobsEntries(doc)).toEqual(bobBefore); // (d)
  // (e) Messages: present afterwards = before + added - deleted, nothing else.
  const expected = new Set([...idsBefore, ...fxs.added.map((m) => m.id)]);
  for (const id of fxs.deletedMessages) expected.delete(id);
  const after = doc.getArray<ChatMessage>(Roots.messages).toArray();
  expect(new Set(after.map((m) => m.id))).toEqual(expected);
  for (const m of after) if (!idsBefore.has(m.id)) expect(fxs.added).toContainEqual(m);
  // Read marker and edits: a changed value is one the effects reported.
  const read = doc.getMap(Roots.reads).get(ALICE) as { upTo: string; at: number } | undefined;
  if (read && JSON.stringify(read) !== readBefore)
    expect(fxs.reads).toContainEqual({ userId: ALICE, ...read });
  for (const [id, e] of Object.entries(doc.getMap(Roots.edits).toJSON())) {
    const edit = e as { text: string; at: number };
    if (JSON.stringify(edit) !== JSON.stringify(editsBefore[id]))
      expect(fxs.edits).toContainEqual({ id, ...edit });
  }
  // (f) Bob can still write: his honest update is accepted and applies cleanly.
  const device = cloneDoc(doc);
  device.clientID = BOB_CLIENT;
  const messages = new Map(fx.messages);
  for (const m of fxs.added) messages.set(m.id, { from: ALICE, at: m.at, stored: NOW });
  // Alice may have deleted her own messages: Bob reacts to one still here (his own if none).
  const present = new Set(after.map((m) => m.id));
  const target = fx.aliceMessages.find((m) => present.has(m.id)) ?? fx.bobMessages[2]!;
  const honest = fx.capture(device, (d) => {
    d.getArray(Roots.messages).push([
      { ...message(BOB, 'still here', `mbob${idsBefore.size}after`), at: NOW },
    ]);
    d.getMap(Roots.reads).set(BOB, { upTo: fx.aliceMessages[0]!.id, at: NOW });
    d.getMap(Roots.edits).set(fx.bobMessages[1]!.id, { text: 'bob again', at: NOW });
    d.getMap(Roots.reactions).set(`${target.id}:${BOB}:🙂`, { at: NOW });
  });
  const bobVerdict = validateUpdate({ ...fx.ctx(BOB, doc), messages }, honest);
  expect(bobVerdict.kind === 'accept' ? 'accept' : bobVerdict.reason).toBe('accept');
  Y.applyUpdate(doc, honest);
  expect(hasPending(doc)).toBe(false);
  expect(doc.getMap(Roots.reads).get(BOB)).toEqual({ upTo: fx.aliceMessages[0]!.id, at: NOW });
  return fxs.noop ? 'accept-noop' : 'accept';
}

/**
 * The three findings of issue #10, and an honest delete-for-everyone of Alice's first two
 * messages with a new message (a CI run found the check of Bob's write assuming they stay),
 * as the corpus every run starts with.
 */
function findings(fx: Fixture): RawUpdate[] {
  const forged = { ...message(BOB, 'I am Bob', 'mforged0001'), at: NOW };
  return [
    {
      sections: [
        { client: FRESH, clock: 0, structs: [{ content: { deleted: 1 }, parent: 'messages' }] },
        {
          client: FRESH,
          clock: 0,
          structs: [{ content: { any: [forged] }, origin: fx.lastMessageId() }],
        },
      ],
    },
    {
      sections: [
        {
          client: FRESH,
          clock: 0,
          structs: [{ content: { any: [] }, origin: fx.entryId('reads', BOB) }],
        },
      ],
    },
    {
      sections: [
        {
          client: FRESH,
          clock: 0,
          structs: [
            { content: { deleted: 1 }, parent: 'messages' },
            ...Array.from({ length: 100 }, (_, i) => ({
              content: { deleted: 1 },
              origin: { client: FRESH, clock: i },
            })),
          ],
        },
      ],
    },
    {
      sections: [
        {
          client: FRESH,
          clock: 0,
          structs: [
            {
              content: { any: [{ ...message(ALICE, 'ok 0', 'mfuzz0zzzz'), at: NOW }] },
              origin: fx.lastMessageId(),
              parent: 'messages',
            },
          ],
        },
      ],
      deletes: [{ client: ALICE_CLIENT, ranges: [[0, 2]] }],
    },
  ];
}

describe('validator differential fuzzer', () => {
  it(`accepts nothing that Yjs integrates differently (${RUNS} hostile updates)`, () => {
    const fx = makeFixture();
    const stats = new Map<string, number>();
    const started = performance.now();
    fc.assert(
      fc.property(hostileUpdate(fx), (raw) => {
        const kind = checkOne(fx, raw);
        stats.set(kind, (stats.get(kind) ?? 0) + 1);
      }),
      { numRuns: RUNS, examples: findings(fx).map((u) => [u]) },
    );
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${RUNS} runs in ${secs} s`, Object.fromEntries(stats));
    expect(stats.get('accept') ?? 0).toBeGreaterThan(0);
  }, 3_600_000);
});
