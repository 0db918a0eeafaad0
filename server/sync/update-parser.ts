/**
 * A strict reader of Yjs update v1 bytes for the validator: it reads exactly what
 * `Y.applyUpdate` reads (the same lib0 calls in the same order) and refuses every shape
 * whose integration could differ from a plain reading of it — repeated or unordered client
 * sections, zero-length structs, content types the schema never holds, trailing bytes.
 */
import * as decoding from 'lib0/decoding';
import { Limits } from '../../shared/protocol';
import { reject } from './refusal';

/** A struct id as written on the wire. */
export interface WireId {
  client: number;
  clock: number;
}

/** One struct of a client section, with its clock resolved from the section's start. */
export type WireStruct =
  | { kind: 'gc' | 'skip'; clock: number; length: number }
  | {
      kind: 'item';
      clock: number;
      length: number;
      origin: WireId | null;
      rightOrigin: WireId | null;
      /** Root name, an id (a nested type), or null when the origin supplies it. */
      parent: string | WireId | null;
      parentSub: string | null;
      /** ContentDeleted: occupies `length` clocks and holds no values. */
      deleted: boolean;
      /** ContentAny values (empty for ContentDeleted). */
      values: unknown[];
    };

export interface WireSection {
  client: number;
  clock: number;
  structs: WireStruct[];
}

export interface WireUpdate {
  sections: WireSection[];
  /** Delete set: per client, ranges sorted by clock, neither empty nor overlapping. */
  deletes: { client: number; ranges: { clock: number; len: number }[] }[];
  structCount: number;
}

// Content refs (Yjs `contentRefs`): only these two may appear in a Parley document.
const CONTENT_DELETED = 1;
const CONTENT_ANY = 8;
const GC_REF = 0;
const SKIP_REF = 10;
const CONTENT_NAMES: Record<number, string> = {
  2: 'JSON',
  3: 'Binary',
  4: 'String',
  5: 'Embed',
  6: 'Format',
  7: 'Type',
  9: 'Doc',
};
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const CONTENT_BITS = 0x1f;

/** Throws `Rejection` for anything malformed, over the caps or not provably read alike by Yjs. */
export function parseUpdateV1(update: Uint8Array): WireUpdate {
  const d = decoding.createDecoder(update);
  const numSections = decoding.readVarUint(d);
  if (numSections > Limits.maxUpdateStructs) reject('too many structs in one update');
  const sections: WireSection[] = [];
  let structCount = 0;
  let lastClient = Infinity;
  for (let s = 0; s < numSections; s++) {
    const numStructs = decoding.readVarUint(d);
    const client = decoding.readVarUint(d);
    // Yjs keeps only the last section of a client (a Map), and writes clients in descending
    // order: requiring strictly descending ids rules out repeats with one comparison.
    if (client >= lastClient) reject('client sections repeated or out of order');
    lastClient = client;
    if (numStructs === 0) reject('empty client section');
    structCount += numStructs;
    if (structCount > Limits.maxUpdateStructs) {
      reject(`more than ${Limits.maxUpdateStructs} structs in one update`);
    }
    let clock = decoding.readVarUint(d);
    const structs: WireStruct[] = [];
    for (let i = 0; i < numStructs; i++) {
      const struct = readStruct(d, clock);
      if (struct.length < 1) reject('zero-length struct');
      clock += struct.length;
      if (!Number.isSafeInteger(clock)) reject('clock out of range');
      structs.push(struct);
    }
    sections.push({ client, clock: structs[0]!.clock, structs });
  }
  const deletes = readDeleteSet(d);
  if (decoding.hasContent(d)) reject('trailing bytes after the update');
  return { sections, deletes, structCount };
}

function readStruct(d: decoding.Decoder, clock: number): WireStruct {
  const info = decoding.readUint8(d);
  const ref = info & CONTENT_BITS;
  if (ref === GC_REF || ref === SKIP_REF) {
    if (info !== ref) reject('flags on a GC or skip struct');
    return { kind: ref === GC_REF ? 'gc' : 'skip', clock, length: decoding.readVarUint(d) };
  }
  const origin = info & HAS_ORIGIN ? readId(d) : null;
  const rightOrigin = info & HAS_RIGHT_ORIGIN ? readId(d) : null;
  // As in Yjs: the parent is written only when neither origin is, and then so is the key.
  const ownParent = (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0;
  let parent: string | WireId | null = null;
  if (ownParent) {
    parent = decoding.readVarUint(d) === 1 ? decoding.readVarString(d) : readId(d);
  }
  const parentSub = ownParent && info & HAS_PARENT_SUB ? decoding.readVarString(d) : null;
  if (ref === CONTENT_DELETED) {
    const length = decoding.readVarUint(d);
    return {
      kind: 'item',
      clock,
      length,
      origin,
      rightOrigin,
      parent,
      parentSub,
      deleted: true,
      values: [],
    };
  }
  if (ref !== CONTENT_ANY) reject(`content type ${CONTENT_NAMES[ref] ?? ref} not allowed`);
  const n = decoding.readVarUint(d);
  // Every value takes at least one byte: a count beyond the rest of the frame is a lie.
  if (n > d.arr.length - d.pos) reject('content longer than the update');
  const values: unknown[] = [];
  for (let i = 0; i < n; i++) values.push(decoding.readAny(d));
  return {
    kind: 'item',
    clock,
    length: n,
    origin,
    rightOrigin,
    parent,
    parentSub,
    deleted: false,
    values,
  };
}

function readId(d: decoding.Decoder): WireId {
  const client = decoding.readVarUint(d);
  const clock = decoding.readVarUint(d);
  return { client, clock };
}

function readDeleteSet(d: decoding.Decoder): WireUpdate['deletes'] {
  const numClients = decoding.readVarUint(d);
  if (numClients > Limits.maxUpdateDeleteRanges) reject('too many delete ranges in one update');
  const out: WireUpdate['deletes'] = [];
  const seen = new Set<number>();
  let rangeCount = 0;
  for (let c = 0; c < numClients; c++) {
    const client = decoding.readVarUint(d);
    if (seen.has(client)) reject('delete set repeats a client');
    seen.add(client);
    const numRanges = decoding.readVarUint(d);
    if (numRanges === 0) reject('empty delete set entry');
    rangeCount += numRanges;
    if (rangeCount > Limits.maxUpdateDeleteRanges) {
      reject(`more than ${Limits.maxUpdateDeleteRanges} delete ranges in one update`);
    }
    const ranges: { clock: number; len: number }[] = [];
    let prevEnd = 0;
    for (let r = 0; r < numRanges; r++) {
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len < 1) reject('zero-length delete range');
      if (clock < prevEnd) reject('delete ranges unsorted or overlapping');
      prevEnd = clock + len;
      if (!Number.isSafeInteger(prevEnd)) reject('clock out of range');
      ranges.push({ clock, len });
    }
    out.push({ client, ranges });
  }
  return out;
}
