/**
 * Search what is on this device (offline): the documents of the user's conversations that
 * IndexedDB holds — live and sealed epochs — read with y-indexeddb into throwaway Y.Docs,
 * messages at their current (edited) text, matched with the server's word rules.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { ConversationSummary, SearchResult } from '../../shared/api';
import { docNameOf } from '../../shared/protocol';
import { isMessageEdit, Roots } from '../../shared/schema';
import { matchesAll, searchScore, snippet } from '../../shared/search-text';
import { locateMessages } from './message-state';

/** A message as stored on the device, at its current text. */
export interface DeviceMessage {
  id: string;
  from: string;
  text: string;
  at: number;
  edited: number | null;
}

/** Reads one stored document's messages, or null when the device does not hold it. */
export type ReadLocalDoc = (localName: string) => Promise<DeviceMessage[] | null>;

/** The messages of a Y.Doc at their current text (edits applied). */
export function currentMessages(doc: Y.Doc): DeviceMessage[] {
  const edits = doc.getMap<unknown>(Roots.edits);
  return locateMessages(doc).map(({ message }) => {
    const edit = edits.get(message.id);
    return {
      id: message.id,
      from: message.from,
      text: isMessageEdit(edit) ? edit.text : message.text,
      at: message.at,
      edited: isMessageEdit(edit) ? edit.at : null,
    };
  });
}

/**
 * The browser's reader: only databases that exist are opened (opening creates one), each
 * into its own Y.Doc that is dropped afterwards; the stored content is not changed.
 */
export function indexedDbReader(idb: IDBFactory = indexedDB): ReadLocalDoc {
  let existing: Promise<Set<string> | null> | null = null;
  return async (localName) => {
    existing ??= idb.databases
      ? idb.databases().then(
          (all) => new Set(all.map((d) => d.name ?? '')),
          () => null,
        )
      : Promise.resolve(null);
    const names = await existing;
    if (names && !names.has(localName)) return null;
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(localName, doc);
    try {
      await persistence.whenSynced;
      return currentMessages(doc);
    } finally {
      await persistence.destroy().catch(() => undefined);
      doc.destroy();
    }
  };
}

/**
 * Every message on the device matching all of `words`, best first (the server's score:
 * relevance weighted by recency), at most `limit`. `localName` maps a document name to its
 * IndexedDB database name.
 */
export async function searchDevice(
  conversations: readonly ConversationSummary[],
  words: readonly string[],
  opts: { read: ReadLocalDoc; localName: (docName: string) => string; limit: number },
): Promise<SearchResult[]> {
  if (words.length === 0) return [];
  const found: SearchResult[] = [];
  for (const c of conversations) {
    for (let epoch = c.epoch; epoch >= 0; epoch--) {
      const messages = await opts.read(opts.localName(docNameOf(c.id, epoch)));
      for (const m of messages ?? []) {
        if (!matchesAll(m.text, words)) continue;
        // "Delete chat for me": what was written up to that point is not found either.
        if (typeof c.clearedAt === 'number' && m.at <= c.clearedAt) continue;
        found.push({
          conversationId: c.id,
          peer: c.peer,
          message: {
            ...m,
            conversationId: c.id,
            deleted: false,
            replyTo: null,
            reactions: [],
            attachments: [],
          },
          snippet: snippet(m.text, words),
        });
      }
    }
  }
  const now = Date.now();
  const score = (r: SearchResult): number => searchScore(r.message.text, r.message.at, words, now);
  return found
    .map((r) => ({ r, s: score(r) }))
    .sort((x, y) => y.s - x.s || y.r.message.at - x.r.message.at)
    .slice(0, opts.limit)
    .map((x) => x.r);
}
