/**
 * The update validator on hand-encoded updates: honest updates from real Yjs devices are
 * accepted and apply cleanly; every structural trick (issue #10 and its siblings) is
 * rejected, or deferred when it only refers to state the server lacks.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { validateUpdate, type UpdateEffects } from '../../../server/sync/validate-update';
import { Limits } from '../../../shared/protocol';
import type { ChatMessage } from '../../../shared/schema';
import {
  ALICE,
  ALICE_CLIENT,
  ALICE_GC_CLIENT,
  BOB,
  BOB_CLIENT,
  NOW,
  cloneDoc,
  hasPending,
  makeFixture,
  message,
  type Fixture,
} from '../../helpers/validator-fixture';
import {
  encodeRawUpdate,
  type RawContent,
  type RawStruct,
  type RawUpdate,
} from '../../helpers/yjs-encoder';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});

const FRESH = 77_777;
const FRESH2 = 66_666;
const newMessage = (
  text = 'hello',
  from = ALICE,
  id = `mnew${Math.random().toString(36).slice(2, 12)}`,
): ChatMessage => ({ ...message(from, text, id), at: NOW });

/** Validate as `user`; when accepted, apply to a copy and check it integrated completely. */
function run(u: RawUpdate | Uint8Array, user = ALICE): ReturnType<typeof validateUpdate> {
  const bytes = u instanceof Uint8Array ? u : encodeRawUpdate(u);
  const v = validateUpdate(fx.ctx(user), bytes);
  if (v.kind === 'accept') {
    const copy = cloneDoc(fx.doc);
    Y.applyUpdate(copy, bytes);
    expect(hasPending(copy)).toBe(false);
  }
  return v;
}
function rejected(u: RawUpdate | Uint8Array, reason: RegExp, user = ALICE): void {
  const v = run(u, user);
  expect(v.kind).toBe('reject');
  if (v.kind === 'reject') expect(v.reason).toMatch(reason);
}
function accepted(u: RawUpdate | Uint8Array, user = ALICE): UpdateEffects {
  const v = run(u, user);
  if (v.kind !== 'accept') throw new Error(`expected accept, got ${v.kind}: ${v.reason}`);
  return v.effects;
}
/** Accept an update and apply it to the server's document, as the room does. */
function commit(u: Uint8Array): UpdateEffects {
  const effects = accepted(u);
  Y.applyUpdate(fx.doc, u);
  return effects;
}
function deferred(u: RawUpdate | Uint8Array): void {
  expect(run(u).kind).toBe('defer');
}
const one = (client: number, ...structs: RawStruct[]): RawUpdate => ({
  sections: [{ client, clock: 0, structs }],
});

describe('honest updates from real devices', () => {
  it('accepts an append, a read marker, an edit, a reaction and a delete of your own message', () => {
    const m = newMessage();
    const fxA = commit(fx.capture(fx.alice, (d) => d.getArray('messages').push([m])));
    expect(fxA.added).toEqual([m]);
    const reads = commit(
      fx.capture(fx.alice, (d) =>
        d.getMap('reads').set(ALICE, { upTo: fx.bobMessages[0]!.id, at: NOW }),
      ),
    );
    expect(reads.reads).toEqual([{ userId: ALICE, upTo: fx.bobMessages[0]!.id, at: NOW }]);
    const own = fx.aliceMessages[1]!.id;
    expect(
      commit(fx.capture(fx.alice, (d) => d.getMap('edits').set(own, { text: 'x', at: NOW }))).edits,
    ).toEqual([{ id: own, text: 'x', at: NOW }]);
    commit(
      fx.capture(fx.alice, (d) =>
        d.getMap('reactions').set(`${fx.bobMessages[1]!.id}:${ALICE}:🎉`, { at: NOW }),
      ),
    );
    const del = fx.capture(fx.alice, (d) => {
      const arr = d.getArray<ChatMessage>('messages');
      arr.delete(
        arr.toArray().findIndex((x) => x.id === own),
        1,
      );
    });
    expect(commit(del).deletedMessages).toEqual([own]);
  });

  it("accepts a full resend (sync step 2 from an empty state vector) as a no-op, including the other person's structs", () => {
    const effects = accepted(Y.encodeStateAsUpdate(fx.alice));
    expect(effects.noop).toBe(true);
    expect(accepted(Y.encodeStateAsUpdate(fx.doc)).noop).toBe(true);
  });

  it('accepts an offline device with two sessions whose items refer to each other across clients', () => {
    const device = cloneDoc(fx.doc);
    const sv = Y.encodeStateVector(fx.doc);
    device.clientID = FRESH2;
    device.getArray('messages').push([newMessage('first session')]);
    device.clientID = FRESH; // reloaded: a new client id continues after the first one's item
    device.getArray('messages').push([newMessage('second session')]);
    device.getMap('reads').set(ALICE, { upTo: fx.bobMessages[0]!.id, at: NOW });
    const effects = accepted(Y.encodeStateAsUpdate(device, sv));
    expect(effects.added.map((m) => m.text)).toEqual(['second session', 'first session']);
    expect(effects.newClients.sort()).toEqual([FRESH, FRESH2].sort());
  });
});

describe('finding 1: repeated client sections', () => {
  const forged = (fxr: Fixture, second: RawStruct): RawUpdate => ({
    sections: [
      { client: FRESH, clock: 0, structs: [{ content: { deleted: 1 }, parent: 'messages' }] },
      { client: FRESH, clock: 0, structs: [second] },
    ],
  });

  it('refuses a forged message hidden behind a harmless first section (Yjs would apply the second)', () => {
    const u = forged(fx, {
      content: { any: [newMessage('I am Bob', BOB)] },
      origin: fx.lastMessageId(),
    });
    // What Yjs does with it: the last section wins, so the forged message lands.
    const copy = cloneDoc(fx.doc);
    Y.applyUpdate(copy, encodeRawUpdate(u));
    expect(
      copy
        .getArray<ChatMessage>('messages')
        .toArray()
        .some((m) => m.text === 'I am Bob'),
    ).toBe(true);
    rejected(u, /repeated or out of order/);
  });

  it("refuses the same trick on an edit, the other's read marker and an unknown root with Y.Text", () => {
    rejected(
      forged(fx, {
        content: { any: [{ text: 'x', at: NOW }] },
        parent: 'edits',
        parentSub: fx.bobMessages[1]!.id,
      }),
      /repeated/,
    );
    rejected(
      forged(fx, {
        content: { any: [{ upTo: fx.aliceMessages[0]!.id, at: NOW }] },
        origin: fx.entryId('reads', BOB),
      }),
      /repeated/,
    );
    rejected(forged(fx, { content: { type: 2 }, parent: 'evil' }), /repeated/);
  });

  it('refuses sections in ascending client order and repeated delete-set clients', () => {
    const s = (client: number): RawUpdate['sections'][number] => ({
      client,
      clock: 0,
      structs: [{ content: { deleted: 1 }, parent: 'messages' }],
    });
    rejected({ sections: [s(FRESH2), s(FRESH)] }, /out of order/);
    accepted({ sections: [s(FRESH), s(FRESH2)] });
    rejected(
      {
        sections: [],
        deletes: [
          { client: ALICE_CLIENT, ranges: [[0, 1]] },
          { client: ALICE_CLIENT, ranges: [[1, 1]] },
        ],
      },
      /repeats a client/,
    );
  });
});

describe('finding 2: zero-length structs', () => {
  it("refuses an empty ContentAny whose origin is the other person's read marker (Yjs would delete it)", () => {
    const u = one(FRESH, { content: { any: [] }, origin: fx.entryId('reads', BOB) });
    const copy = cloneDoc(fx.doc);
    Y.applyUpdate(copy, encodeRawUpdate(u));
    expect(copy.getMap('reads').get(BOB)).toBeUndefined();
    rejected(u, /zero-length/);
  });

  it('refuses zero-length structs of every kind and zero-length delete ranges', () => {
    for (const s of [
      { content: { deleted: 0 }, parent: 'messages' },
      { content: { any: [] }, origin: fx.entryId('edits', fx.bobMessages[1]!.id) },
      {
        content: { any: [] },
        origin: fx.entryId('reactions', `${fx.aliceMessages[0]!.id}:${BOB}:❤️`),
      },
      { gc: 0 },
      { skip: 0 },
    ] satisfies RawStruct[]) {
      rejected(one(FRESH, s), /zero-length/);
    }
    rejected(
      { sections: [], deletes: [{ client: ALICE_CLIENT, ranges: [[0, 0]] }] },
      /zero-length/,
    );
  });
});

describe('finding 3: cost linear in the update', () => {
  const chain = (n: number): RawUpdate =>
    one(
      FRESH,
      { content: { deleted: 1 }, parent: 'messages' },
      ...Array.from({ length: n - 1 }, (_, i): RawStruct => ({
        content: { deleted: 1 },
        origin: { client: FRESH, clock: i },
      })),
    );

  it('validates a chain of 20,000 structs, each the origin of the next', () => {
    const bytes = encodeRawUpdate(chain(20_000));
    const t = performance.now();
    const v = validateUpdate(fx.ctx(ALICE), bytes);
    const ms = performance.now() - t;
    expect(v.kind).toBe('accept');
    console.log(`20,000-struct chain (${bytes.byteLength} bytes) validated in ${ms.toFixed(1)} ms`);
  });

  it(`refuses more than ${Limits.maxUpdateStructs} structs or ${Limits.maxUpdateDeleteRanges} delete ranges`, () => {
    rejected(chain(Limits.maxUpdateStructs + 1), /more than 50000 structs/);
    const ranges = Array.from(
      { length: Limits.maxUpdateDeleteRanges + 1 },
      (_, i): [number, number] => [2 * i, 1],
    );
    rejected({ sections: [], deletes: [{ client: ALICE_CLIENT, ranges }] }, /delete ranges/);
  });
});

describe('integration cost', () => {
  it('refuses many items anchored deep in a long list (Yjs would scan its tail for each)', () => {
    // 1,200 single-message items, alternating authors so that Yjs keeps them apart.
    for (let i = 0; i < 600; i++) {
      for (const [device, who] of [
        [fx.alice, ALICE],
        [fx.bob, BOB],
      ] as const) {
        device
          .getArray('messages')
          .push([newMessage(`filler ${i}`, who, `mfill${who.slice(2, 5)}${i}xx`)]);
        const other = device === fx.alice ? fx.bob : fx.alice;
        for (const to of [fx.doc, other])
          Y.applyUpdate(to, Y.encodeStateAsUpdate(device, Y.encodeStateVector(to)));
      }
    }
    const first = fx.doc.getArray('messages')._start!.id;
    const deep = (n: number): RawUpdate =>
      one(
        FRESH,
        ...Array.from({ length: n }, (): RawStruct => ({ content: { deleted: 1 }, origin: first })),
      );
    rejected(deep(900), /too costly/);
    expect(accepted(deep(50)).noop).toBe(false);
    // Appending at the end stays cheap whatever the list's length.
    accepted(fx.capture(fx.alice, (d) => d.getArray('messages').push([newMessage()])));
  });
});

describe('structure and content', () => {
  it('refuses every content type but Any and Deleted, on new and on known structs', () => {
    const contents = [
      { string: 'x' },
      { json: [1] },
      { binary: new Uint8Array([1]) },
      { embed: { a: 1 } },
      { format: ['bold', true] },
      { type: 1 },
      { doc: 'guid' },
    ] satisfies RawContent[];
    for (const content of contents) {
      rejected(one(FRESH, { content, parent: 'messages' }), /not allowed/);
      rejected(one(ALICE_CLIENT, { content, parent: 'messages' }), /not allowed/);
    }
  });

  it('refuses trailing bytes, skips-as-gaps are deferred, flags on GC are refused', () => {
    rejected({ sections: [], trailing: new Uint8Array([0]) }, /trailing/);
    deferred(one(FRESH, { skip: 1 }, { content: { deleted: 1 }, parent: 'messages' }));
    const bytes = encodeRawUpdate(one(FRESH, { gc: 1 }));
    bytes[6] = 0x80; // the info byte: after 1 section, 1 struct, client (3 bytes), clock 0
    rejected(bytes, /flags/);
  });

  it('refuses unknown roots, nested parents, keys on array items and keyless map items', () => {
    rejected(one(FRESH, { content: { any: [1] }, parent: 'evil' }), /unknown root/);
    rejected(one(FRESH, { content: { any: [1] }, parent: fx.entryId('reads', ALICE) }), /nested/);
    rejected(
      one(FRESH, { content: { any: [newMessage()] }, parent: 'messages', parentSub: 'k' }),
      /array entries have no key/,
    );
    rejected(
      one(FRESH, { content: { any: [{ upTo: fx.bobMessages[0]!.id, at: NOW }] }, parent: 'reads' }),
      /need a key/,
    );
    // A known struct naming an unknown root: Yjs would create the root while decoding.
    rejected(one(ALICE_CLIENT, { content: { deleted: 1 }, parent: 'evil' }), /unknown root/);
  });
});

describe('origins', () => {
  it('refuses a right origin, an origin in a GC run (held or new) and an origin ahead of the item', () => {
    rejected(
      one(FRESH, { content: { any: [newMessage()] }, rightOrigin: fx.lastMessageId() }),
      /right origin/,
    );
    rejected(
      one(FRESH, {
        content: { any: [newMessage()] },
        origin: { client: ALICE_GC_CLIENT, clock: 1 },
      }),
      /garbage/,
    );
    rejected(
      one(
        FRESH,
        { gc: 2 },
        { content: { any: [newMessage()] }, origin: { client: FRESH, clock: 0 } },
      ),
      /garbage/,
    );
    rejected(
      one(
        FRESH,
        { content: { deleted: 1 }, origin: { client: FRESH, clock: 1 } },
        { content: { deleted: 1 }, parent: 'messages' },
      ),
      /origin after/,
    );
  });

  it('refuses an origin cycle between two new clients (Yjs would leave it pending)', () => {
    rejected(
      {
        sections: [
          {
            client: FRESH,
            clock: 0,
            structs: [
              { content: { deleted: 1 }, origin: { client: FRESH2, clock: 1 } },
              { content: { deleted: 1 }, parent: 'messages' },
            ],
          },
          {
            client: FRESH2,
            clock: 0,
            structs: [
              { content: { deleted: 1 }, origin: { client: FRESH, clock: 1 } },
              { content: { deleted: 1 }, parent: 'messages' },
            ],
          },
        ],
      },
      /cycle/,
    );
  });

  it("places an item by its origin: a message after Bob's message is fine, a value after Bob's read marker is not", () => {
    expect(
      accepted(one(FRESH, { content: { any: [newMessage()] }, origin: fx.lastMessageId() })).added,
    ).toHaveLength(1);
    rejected(
      one(FRESH, {
        content: { any: [{ upTo: fx.aliceMessages[0]!.id, at: NOW }] },
        origin: fx.entryId('reads', BOB),
      }),
      /another person's read marker/,
    );
    rejected(
      one(FRESH, { content: { deleted: 1 }, origin: fx.entryId('edits', fx.bobMessages[1]!.id) }),
      /editing another/,
    );
  });

  it('defers origins and structs the server lacks, and partial overlaps, without applying anything', () => {
    deferred(one(FRESH, { content: { any: [newMessage()] }, origin: { client: 5555, clock: 0 } }));
    deferred({
      sections: [
        { client: FRESH, clock: 3, structs: [{ content: { deleted: 1 }, parent: 'messages' }] },
      ],
    });
    const state = Y.getState(fx.doc.store, ALICE_CLIENT);
    deferred({
      sections: [
        {
          client: ALICE_CLIENT,
          clock: state - 1,
          structs: [{ content: { deleted: 2 }, parent: 'messages' }],
        },
      ],
    });
    // A known struct whose origin the server lacks: Yjs would park the update as pending.
    rejected(
      one(ALICE_CLIENT, { content: { deleted: 1 }, origin: { client: 5555, clock: 0 } }),
      /unknown state/,
    );
  });
});

describe('deletions', () => {
  it("refuses deleting the other person's message or map entries, accepts deleting your own entries", () => {
    const bobClock = fx.doc.store.clients.get(BOB_CLIENT)![0]!.id.clock;
    rejected(
      { sections: [], deletes: [{ client: BOB_CLIENT, ranges: [[bobClock, 1]] }] },
      /another person's message/,
    );
    const read = fx.entryId('reads', BOB);
    rejected(
      { sections: [], deletes: [{ client: read.client, ranges: [[read.clock, 1]] }] },
      /read marker/,
    );
    const mine = fx.entryId('reactions', `${fx.bobMessages[0]!.id}:${ALICE}:👍`);
    expect(
      accepted({ sections: [], deletes: [{ client: mine.client, ranges: [[mine.clock, 1]] }] })
        .noop,
    ).toBe(false);
  });

  it('treats GC runs and already deleted items as nothing to do, defers ranges beyond state, refuses unsorted ranges', () => {
    expect(
      accepted({ sections: [], deletes: [{ client: ALICE_GC_CLIENT, ranges: [[0, 3]] }] }).noop,
    ).toBe(true);
    const state = Y.getState(fx.doc.store, ALICE_CLIENT);
    deferred({ sections: [], deletes: [{ client: ALICE_CLIENT, ranges: [[state - 1, 5]] }] });
    deferred({ sections: [], deletes: [{ client: 5555, ranges: [[0, 1]] }] });
    rejected(
      {
        sections: [],
        deletes: [
          {
            client: ALICE_CLIENT,
            ranges: [
              [3, 1],
              [0, 1],
            ],
          },
        ],
      },
      /unsorted/,
    );
  });

  it('reports a message added and deleted by the same update', () => {
    const m = newMessage();
    const effects = accepted({
      sections: [
        {
          client: FRESH,
          clock: 0,
          structs: [{ content: { any: [m] }, origin: fx.lastMessageId() }],
        },
      ],
      deletes: [{ client: FRESH, ranges: [[0, 1]] }],
    });
    expect(effects.added).toEqual([m]);
    expect(effects.deletedMessages).toEqual([m.id]);
  });
});
