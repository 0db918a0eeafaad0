/**
 * Yjs updates for seeding long histories, encoded directly (update format v1) instead of
 * through a Y.Doc: a seeding client that applied every update of a 100,000-message
 * conversation would spend O(n) per append (Y.Array clears its search markers on every
 * remote change), i.e. minutes of generator CPU. The bytes are exactly those a Y.Doc
 * produces for `messages.insert(messages.length, contents)` in one transaction: one item of
 * ContentAny, origin = the last item of the array, no right origin. The server validates
 * them like any other update; `selfCheck()` compares them with Yjs's own encoding.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

export interface Id {
  client: number;
  clock: number;
}

const CONTENT_ANY = 8;
const HAS_ORIGIN = 0x80;

/** One update appending `contents` as one item of `client` at `clock` after `origin`. */
export function encodeAppend(
  client: number,
  clock: number,
  origin: Id | null,
  contents: readonly unknown[],
  root = 'messages',
): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 1); // clients with structs
  encoding.writeVarUint(enc, 1); // structs of this client
  encoding.writeVarUint(enc, client);
  encoding.writeVarUint(enc, clock);
  encoding.writeUint8(enc, CONTENT_ANY | (origin ? HAS_ORIGIN : 0));
  if (origin) {
    encoding.writeVarUint(enc, origin.client);
    encoding.writeVarUint(enc, origin.clock);
  } else {
    encoding.writeVarUint(enc, 1); // parent is a root type, named by its key
    encoding.writeVarString(enc, root);
  }
  encoding.writeVarUint(enc, contents.length);
  for (const c of contents) encoding.writeAny(enc, c as encoding.AnyEncodable);
  encoding.writeVarUint(enc, 0); // empty delete set
  return encoding.toUint8Array(enc);
}

/**
 * Interleaved authorship, as a real conversation has it: each author's turn appends after
 * the other's last message, so the server's document holds one item per turn instead of
 * one merged item per author.
 */
export class RawAppender {
  private last: Id | null = null;
  private readonly clocks = new Map<number, number>();

  append(client: number, contents: readonly unknown[]): Uint8Array {
    const clock = this.clocks.get(client) ?? 0;
    const update = encodeAppend(client, clock, this.last, contents);
    this.clocks.set(client, clock + contents.length);
    this.last = { client, clock: clock + contents.length - 1 };
    return update;
  }

  /** The next clock of `client` (its state after every append so far). */
  clockOf(client: number): number {
    return this.clocks.get(client) ?? 0;
  }
}

/** Throws unless `RawAppender` produces what Yjs produces for the same appends. */
export function selfCheck(): void {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const raw = new RawAppender();
  const viaRaw = new Y.Doc();
  const turns: [Y.Doc, unknown[]][] = [
    [a, [{ t: 1 }, { t: 2 }]],
    [b, [{ t: 3 }]],
    [a, [{ t: 4 }]],
    [b, [{ t: 5 }, { t: 6 }, { t: 7 }]],
  ];
  for (const [doc, contents] of turns) {
    const other = doc === a ? b : a;
    const before = Y.encodeStateVector(doc);
    const arr = doc.getArray('messages');
    doc.transact(() => arr.insert(arr.length, contents));
    const yjsUpdate = Y.encodeStateAsUpdate(doc, before);
    Y.applyUpdate(other, yjsUpdate);
    const rawUpdate = raw.append(doc.clientID, contents);
    if (Buffer.compare(Buffer.from(yjsUpdate), Buffer.from(rawUpdate)) !== 0)
      throw new Error('raw update differs from Yjs encoding');
    Y.applyUpdate(viaRaw, rawUpdate);
  }
  const got = JSON.stringify(viaRaw.getArray('messages').toJSON());
  if (got !== JSON.stringify(a.getArray('messages').toJSON()))
    throw new Error(`raw updates build a different document: ${got}`);
}
