/**
 * A hostile Yjs update v1 encoder for tests: writes client sections, structs, origins,
 * parents and contents exactly as given — repeated or unordered sections, zero lengths,
 * any content type, trailing bytes — which Yjs's own encoder would never produce.
 */
import * as encoding from 'lib0/encoding';

export interface RawId {
  client: number;
  clock: number;
}

export type RawContent =
  | { any: unknown[] }
  | { deleted: number }
  | { string: string }
  | { json: unknown[] }
  | { binary: Uint8Array }
  | { embed: unknown }
  | { format: [string, unknown] }
  /** A nested shared type: 0 YArray, 1 YMap, 2 YText. */
  | { type: number }
  | { doc: string };

export type RawStruct =
  | { gc: number }
  | { skip: number }
  | {
      content: RawContent;
      origin?: RawId;
      rightOrigin?: RawId;
      /** Root name or an item id; written only when neither origin is set (as in Yjs). */
      parent?: string | RawId;
      parentSub?: string;
    };

export interface RawSection {
  client: number;
  clock: number;
  structs: RawStruct[];
}

export interface RawUpdate {
  sections: RawSection[];
  deletes?: { client: number; ranges: [clock: number, len: number][] }[];
  /** Bytes appended after the delete set. */
  trailing?: Uint8Array;
}

const CONTENT_REF = {
  deleted: 1,
  json: 2,
  binary: 3,
  string: 4,
  embed: 5,
  format: 6,
  type: 7,
  any: 8,
  doc: 9,
} as const;

/** Encode `u` as update v1 bytes, byte for byte as described. */
export function encodeRawUpdate(u: RawUpdate): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, u.sections.length);
  for (const section of u.sections) {
    encoding.writeVarUint(e, section.structs.length);
    encoding.writeVarUint(e, section.client);
    encoding.writeVarUint(e, section.clock);
    for (const s of section.structs) writeStruct(e, s);
  }
  const deletes = u.deletes ?? [];
  encoding.writeVarUint(e, deletes.length);
  for (const d of deletes) {
    encoding.writeVarUint(e, d.client);
    encoding.writeVarUint(e, d.ranges.length);
    for (const [clock, len] of d.ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  if (u.trailing) encoding.writeUint8Array(e, u.trailing);
  return encoding.toUint8Array(e);
}

function writeStruct(e: encoding.Encoder, s: RawStruct): void {
  if ('gc' in s) {
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, s.gc);
    return;
  }
  if ('skip' in s) {
    encoding.writeUint8(e, 10);
    encoding.writeVarUint(e, s.skip);
    return;
  }
  const kind = Object.keys(s.content)[0] as keyof typeof CONTENT_REF;
  const ownParent = !s.origin && !s.rightOrigin;
  const info =
    CONTENT_REF[kind] |
    (s.origin ? 0x80 : 0) |
    (s.rightOrigin ? 0x40 : 0) |
    (ownParent && s.parentSub !== undefined ? 0x20 : 0);
  encoding.writeUint8(e, info);
  if (s.origin) writeId(e, s.origin);
  if (s.rightOrigin) writeId(e, s.rightOrigin);
  if (ownParent) {
    if (typeof s.parent === 'string') {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, s.parent);
    } else {
      encoding.writeVarUint(e, 0);
      writeId(e, s.parent ?? { client: 0, clock: 0 });
    }
    if (s.parentSub !== undefined) encoding.writeVarString(e, s.parentSub);
  }
  writeContent(e, s.content);
}

function writeId(e: encoding.Encoder, id: RawId): void {
  encoding.writeVarUint(e, id.client);
  encoding.writeVarUint(e, id.clock);
}

function writeContent(e: encoding.Encoder, c: RawContent): void {
  if ('any' in c) {
    encoding.writeVarUint(e, c.any.length);
    // lib0's Any type is narrower than unknown; the values are the test's to choose.
    for (const v of c.any) encoding.writeAny(e, v as never);
  } else if ('deleted' in c) encoding.writeVarUint(e, c.deleted);
  else if ('string' in c) encoding.writeVarString(e, c.string);
  else if ('json' in c) {
    encoding.writeVarUint(e, c.json.length);
    for (const v of c.json) encoding.writeVarString(e, JSON.stringify(v) ?? 'undefined');
  } else if ('binary' in c) encoding.writeVarUint8Array(e, c.binary);
  else if ('embed' in c) encoding.writeVarString(e, JSON.stringify(c.embed));
  else if ('format' in c) {
    encoding.writeVarString(e, c.format[0]);
    encoding.writeVarString(e, JSON.stringify(c.format[1]));
  } else if ('type' in c) encoding.writeVarUint(e, c.type);
  else {
    encoding.writeVarString(e, c.doc);
    encoding.writeAny(e, {});
  }
}
