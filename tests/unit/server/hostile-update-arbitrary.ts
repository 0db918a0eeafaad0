/**
 * fast-check generator of hostile Yjs updates against the validator fixture: repeated and
 * unordered sections, zero-length and overlapping structs, origins into held items of both
 * users, into the update itself or nowhere, every content type, parents by root name or id,
 * map keys of both users, and delete ranges over anything.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  ALICE,
  ALICE_CLIENT,
  ALICE_GC_CLIENT,
  BOB,
  BOB_CLIENT,
  NOW,
  type Fixture,
} from '../../helpers/validator-fixture';
import type { RawContent, RawId, RawStruct, RawUpdate } from '../../helpers/yjs-encoder';

export const FRESH = 77_777;
export const FRESH2 = 66_666;
const CLIENTS = [FRESH, FRESH2, ALICE_CLIENT, BOB_CLIENT, ALICE_GC_CLIENT];

/** `before`: a struct earlier in the update (an honest origin); `inUpdate`: any struct of it. */
type IdSpec = { held: RawId } | { inUpdate: number } | { before: number } | { raw: RawId };
type StructSpec =
  | { gc: number }
  | { skip: number }
  | {
      content: RawContent;
      origin: IdSpec | null;
      rightOrigin: IdSpec | null;
      parent: string | IdSpec;
      parentSub: string | null;
    };
interface UpdateSpec {
  canonical: boolean;
  sections: {
    client: number;
    start: 'zero' | 'state' | 'below' | 'above';
    structs: StructSpec[];
  }[];
  deletes: { client: number; ranges: [number, number][] }[];
}

/** Every first, middle and last clock of the fixture's held structs (of one root's items). */
function heldIds(fx: Fixture, root?: string): RawId[] {
  const out: RawId[] = [];
  for (const [client, structs] of fx.doc.store.clients) {
    for (const s of structs) {
      if (root !== undefined) {
        const parent = s instanceof Y.Item ? (s.parent as Y.AbstractType<unknown> | null) : null;
        if (!parent || Y.findRootTypeKey(parent) !== root) continue;
      }
      const { clock } = s.id;
      for (const c of new Set([clock, clock + (s.length >> 1), clock + s.length - 1]))
        out.push({ client, clock: c });
    }
  }
  return out;
}

export function hostileUpdate(fx: Fixture): fc.Arbitrary<RawUpdate> {
  const held = heldIds(fx);
  const [a0, a1] = fx.aliceMessages;
  const [b0, b1] = fx.bobMessages;
  const keys = [
    ALICE,
    BOB,
    a0!.id,
    a1!.id,
    b0!.id,
    b1!.id,
    `${b0!.id}:${ALICE}`,
    `${a0!.id}:${BOB}`,
    'k',
  ];
  const idSpec: fc.Arbitrary<IdSpec> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...held).map((id) => ({ held: id })) },
    { weight: 3, arbitrary: fc.nat(30).map((n) => ({ inUpdate: n })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ client: fc.constantFrom(...CLIENTS, 5555), clock: fc.nat(40) })
        .map((id) => ({ raw: id })),
    },
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    fc.nat(50).map((n) => ({ id: `mfuzz${n}xxxx`, from: ALICE, text: `fuzz ${n}`, at: NOW })),
    fc.nat(50).map((n) => ({ id: `mfuzz${n}yyyy`, from: BOB, text: `forged ${n}`, at: NOW })),
    fc.constant({ id: b0!.id, from: ALICE, text: 'dup', at: NOW }),
    fc.constantFrom(a0!.id, b0!.id).map((upTo) => ({ upTo, at: NOW })),
    fc.constant({ text: 'edited by fuzz', at: NOW }),
    fc.constantFrom('👍', 7, null),
  );
  // Mostly non-zero lengths, so that most updates get past the first checks.
  const len = fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
  );
  const content: fc.Arbitrary<RawContent> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .oneof(
          { weight: 1, arbitrary: fc.constant<unknown[]>([]) },
          { weight: 8, arbitrary: fc.array(value, { minLength: 1, maxLength: 3 }) },
        )
        .map((any) => ({ any })),
    },
    { weight: 2, arbitrary: len.map((deleted) => ({ deleted })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<RawContent>(
        { string: 'x' },
        { type: 0 },
        { type: 1 },
        { json: [1] },
        { binary: new Uint8Array([1]) },
        { embed: {} },
        { format: ['b', true] },
        { doc: 'g' },
      ),
    },
  );
  const struct: fc.Arbitrary<StructSpec> = fc.oneof(
    { weight: 1, arbitrary: len.map((gc) => ({ gc })) },
    { weight: 1, arbitrary: len.map((skip) => ({ skip })) },
    {
      weight: 10,
      arbitrary: fc.record({
        content,
        origin: fc.option(idSpec, { freq: 2 }),
        rightOrigin: fc.option(idSpec, { freq: 10 }),
        parent: fc.oneof(
          {
            weight: 6,
            arbitrary: fc.constantFrom('messages', 'reads', 'edits', 'reactions', 'evil'),
          },
          { weight: 1, arbitrary: idSpec },
        ),
        parentSub: fc.option(fc.constantFrom(...keys), { freq: 2 }),
      }),
    },
  );
  const deletes = (
    clients: number[],
    rangeLen: fc.Arbitrary<number>,
  ): fc.Arbitrary<UpdateSpec['deletes']> =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<UpdateSpec['deletes']>([]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.record({
            client: fc.constantFrom(...clients),
            ranges: fc.array(fc.tuple(fc.nat(14), rangeLen), { minLength: 1, maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      },
    );
  const wild: fc.Arbitrary<UpdateSpec> = fc.record({
    canonical: fc.constantFrom(true, true, true, false),
    sections: fc.array(
      fc.record({
        client: fc.constantFrom(...CLIENTS),
        start: fc.constantFrom(
          'zero' as const,
          'state' as const,
          'state' as const,
          'below' as const,
          'above' as const,
        ),
        structs: fc.array(struct, { minLength: 1, maxLength: 4 }),
      }),
      { maxLength: 3 },
    ),
    deletes: deletes([...CLIENTS, 5555], len),
  });
  // Plausible updates (Alice's own clients, schema content, appends only): most get deep
  // into the checks and many are accepted, which is where a wrong "accept" would hide.
  const aliceMessage = fc
    .nat(1000)
    .map((n) => ({ id: `mfuzz${n}zzzz`, from: ALICE, text: `ok ${n}`, at: NOW }));
  const byRoot: Record<string, { values: fc.Arbitrary<unknown>; keys: string[] }> = {
    messages: {
      values: fc.oneof({ weight: 8, arbitrary: aliceMessage }, { weight: 1, arbitrary: value }),
      keys: ['k'],
    },
    reads: {
      values: fc.constantFrom(a0!.id, b0!.id).map((upTo) => ({ upTo, at: NOW })),
      keys: [ALICE, ALICE, BOB],
    },
    edits: {
      values: fc.constant({ text: 'edited by fuzz', at: NOW }),
      keys: [a0!.id, a1!.id, b0!.id],
    },
    reactions: {
      values: fc.constantFrom({ at: NOW }, '🎉'),
      keys: [`${b0!.id}:${ALICE}:👍`, `${a0!.id}:${BOB}:🎉`],
    },
  };
  const plausibleStruct: fc.Arbitrary<StructSpec> = fc
    .constantFrom('messages', 'messages', 'reads', 'edits', 'reactions')
    .chain((root) =>
      fc.record({
        content: fc.oneof(
          {
            weight: 4,
            arbitrary: fc
              .array(byRoot[root]!.values, { minLength: 1, maxLength: root === 'messages' ? 2 : 1 })
              .map((any): RawContent => ({ any })),
          },
          {
            weight: 1,
            arbitrary: fc.integer({ min: 1, max: 3 }).map((deleted): RawContent => ({ deleted })),
          },
        ),
        origin: fc.option<IdSpec>(
          fc.oneof(
            fc.constantFrom(...heldIds(fx, root)).map((id): IdSpec => ({ held: id })),
            fc.nat(30).map((n): IdSpec => ({ before: n })),
          ),
          { freq: 3 },
        ),
        rightOrigin: fc.constant(null),
        parent: fc.constant(root),
        parentSub:
          root === 'messages'
            ? fc
                .option(fc.constant('k'), { freq: 10, nil: null })
                .map((k) => (k === null ? null : k))
            : fc.constantFrom(...byRoot[root]!.keys),
      }),
    );
  const plausible: fc.Arbitrary<UpdateSpec> = fc.record({
    canonical: fc.constant(true),
    sections: fc.array(
      fc.record({
        client: fc.constantFrom(FRESH, FRESH2, ALICE_CLIENT),
        start: fc.constant('state' as const),
        structs: fc.array(plausibleStruct, { minLength: 1, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    deletes: deletes(
      [FRESH, ALICE_CLIENT, ALICE_GC_CLIENT, BOB_CLIENT],
      fc.integer({ min: 1, max: 3 }),
    ),
  });
  const spec = fc.oneof({ weight: 1, arbitrary: wild }, { weight: 2, arbitrary: plausible });
  return spec.map((s) => resolve(fx, s));
}

function lengthOf(s: StructSpec): number {
  if ('gc' in s) return s.gc;
  if ('skip' in s) return s.skip;
  const c = s.content;
  if ('any' in c) return c.any.length;
  if ('deleted' in c) return c.deleted;
  if ('json' in c) return c.json.length;
  return 1;
}

/** Lay the sections out on clocks, then point origins and parents at concrete ids. */
function resolve(fx: Fixture, spec: UpdateSpec): RawUpdate {
  let sections = spec.sections;
  if (spec.canonical) {
    const last = new Map(sections.map((s) => [s.client, s]));
    sections = [...last.values()].sort((a, b) => b.client - a.client);
  }
  const laid = sections.map((s) => {
    const state = Y.getState(fx.doc.store, s.client);
    const start = { zero: 0, state, below: Math.max(0, state - 1), above: state + 1 }[s.start];
    let clock = start;
    const at = s.structs.map((st) => {
      const c = clock;
      clock += lengthOf(st);
      return { clock: c, length: lengthOf(st) };
    });
    return { client: s.client, start, at };
  });
  const flat = laid.flatMap((l) => l.at.map((a) => ({ client: l.client, ...a })));
  let current = 0; // flat index of the struct being resolved
  const id = (i: IdSpec): RawId => {
    if ('held' in i) return i.held;
    if ('raw' in i) return i.raw;
    const n = 'before' in i ? i.before : i.inUpdate;
    const range = 'before' in i ? current : flat.length;
    const target = range > 0 ? flat[n % range] : undefined;
    if (!target) return 'before' in i ? fx.lastMessageId() : { client: 5555, clock: n };
    return { client: target.client, clock: target.clock + (n % Math.max(1, target.length)) };
  };
  return {
    sections: sections.map((s, k) => ({
      client: s.client,
      clock: laid[k]!.start,
      structs: s.structs.map((st): RawStruct => {
        current = laid.slice(0, k).reduce((sum, l) => sum + l.at.length, 0) + s.structs.indexOf(st);
        if ('gc' in st || 'skip' in st) return st;
        return {
          content: st.content,
          ...(st.origin ? { origin: id(st.origin) } : {}),
          ...(st.rightOrigin ? { rightOrigin: id(st.rightOrigin) } : {}),
          parent: typeof st.parent === 'string' ? st.parent : id(st.parent),
          ...(st.parentSub !== null ? { parentSub: st.parentSub } : {}),
        };
      }),
    })),
    deletes: spec.deletes,
  };
}
