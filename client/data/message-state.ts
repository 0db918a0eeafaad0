/**
 * Reads a conversation document into what the UI shows: the chat messages in document
 * order, with edits applied and, for your own messages, the delivery state
 * pending -> sent -> delivered -> read. Pure functions over a Y.Doc, testable in Node.
 */
import * as Y from 'yjs';
import {
  Roots,
  isMessageEdit,
  isReadMarker,
  readChatMessage,
  type AttachmentRef,
  type ReadMarker,
  type ReadMessage,
} from '../../shared/schema';
import {
  DEFAULT_EDIT_WINDOW_MS,
  reactionsByMessage,
  withinEditWindow,
  type ReactionView,
  type ReplyQuote,
} from './message-extras';

/** A Yjs state vector: client id -> the next clock the holder does not have. */
export type StateVector = ReadonlyMap<number, number>;

export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read';

/** One message as the UI shows it. */
export interface MessageView {
  id: string;
  from: string;
  /** The current text (the latest edit when there is one). */
  text: string;
  at: number;
  /** True when the signed-in user wrote it. */
  mine: boolean;
  /** Delivery state of your own messages; null for the other person's. */
  state: DeliveryState | null;
  /** True when the text was edited (the latest edit is shown). */
  edited: boolean;
  /** Epoch ms of the latest edit, or null. */
  editedAt: number | null;
  /** True while you may still edit it: yours, in the live document, inside the edit window. */
  canEdit: boolean;
  /** The id of the message this one replies to. */
  replyToId?: string;
  /** The quote of the message this one replies to (`withReplyQuotes`). */
  replyTo?: ReplyQuote;
  /** Reactions, each emoji with who used it. */
  reactions: ReactionView[];
  /** Attached files (photos, files, voice notes); [] for none. */
  attachments: AttachmentRef[];
  /** Written by a newer version with content this one cannot show in full. */
  unsupported: boolean;
  /** True for a message in a sealed (read-only) document: it can no longer be deleted. */
  sealed?: boolean;
  /** True for a placeholder of a message deleted for everyone while this session watched. */
  deleted?: boolean;
}

/** A chat message together with the Yjs id of the item that holds it. */
export interface LocatedMessage {
  message: ReadMessage;
  client: number;
  clock: number;
}

/** Everything besides the document that decides delivery states. */
export interface DeliveryFacts {
  /** The server's state vector from its latest ack: what it has stored. */
  ack: StateVector;
  /** The other participant's latest "received" state vector: what their device holds. */
  received: StateVector;
}

export const EMPTY_SV: StateVector = new Map();

/** True when `sv` includes the item with id (client, clock). */
export function covers(sv: StateVector, client: number, clock: number): boolean {
  return (sv.get(client) ?? 0) > clock;
}

/** The per-client maximum of two state vectors; returns `a` itself when `b` adds nothing. */
export function mergeStateVectors(a: StateVector, b: StateVector): StateVector {
  let merged: Map<number, number> | null = null;
  for (const [client, clock] of b) {
    if ((a.get(client) ?? 0) >= clock) continue;
    merged ??= new Map(a);
    merged.set(client, clock);
  }
  return merged ?? a;
}

/**
 * The valid chat messages of the document in array order, each with its item id.
 * Walks the array's item list directly: the item id is what acks and "received"
 * state vectors speak about, and `toArray()` does not expose it. Entries the tolerant
 * reader cannot use or that repeat an id are skipped (document contents are untrusted).
 */
export function locateMessages(doc: Y.Doc): LocatedMessage[] {
  // Reads are memoized per stored value: Yjs keeps the decoded objects of its items, so
  // every later walk (each update, the read marker, search) reuses the first reading.
  const out: LocatedMessage[] = [];
  const seen = new Set<string>();
  let item = doc.getArray<unknown>(Roots.messages)._start;
  while (item !== null) {
    if (!item.deleted && item.countable && item.content instanceof Y.ContentAny) {
      const values = item.content.arr as unknown[];
      for (let i = 0; i < values.length; i++) {
        const value = readCached(values[i]);
        if (!value || seen.has(value.id)) continue;
        seen.add(value.id);
        out.push({ message: value, client: item.id.client, clock: item.id.clock + i });
      }
    }
    item = item.right;
  }
  return out;
}

/** The tolerant reading of each stored message value, kept as long as the value lives. */
const readings = new WeakMap<object, ReadMessage | null>();

function readCached(raw: unknown): ReadMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  let value = readings.get(raw);
  if (value === undefined) {
    value = readChatMessage(raw);
    readings.set(raw, value);
  }
  return value;
}

/** The read markers of everyone except `me` (in a 1:1 conversation: the other person's). */
function othersReadMarkers(doc: Y.Doc, me: string): ReadMarker[] {
  const markers: ReadMarker[] = [];
  doc.getMap<unknown>(Roots.reads).forEach((value, key) => {
    if (key !== me && isReadMarker(value)) markers.push(value);
  });
  return markers;
}

/** Your own read marker, if it is valid. */
export function myReadMarker(doc: Y.Doc, me: string): ReadMarker | null {
  const value = doc.getMap<unknown>(Roots.reads).get(me);
  return isReadMarker(value) ? value : null;
}

/** What decides `canEdit` besides the document. */
export interface EditPolicy {
  /** Now, epoch ms (default `Date.now()`). */
  now?: number;
  /** The edit window (default 24 h, the server's default). */
  editWindowMs?: number;
  /** A sealed document: nothing in it can be edited (default false). */
  sealed?: boolean;
  /** Read receipts are off in this conversation: the other person's reads are not shown. */
  hideReads?: boolean;
}

/** Build the UI's message list (reply quotes are filled in by `withReplyQuotes`). */
export function messageViews(
  doc: Y.Doc,
  me: string,
  facts: DeliveryFacts,
  policy: EditPolicy = {},
): MessageView[] {
  const now = policy.now ?? Date.now();
  const windowMs = policy.editWindowMs ?? DEFAULT_EDIT_WINDOW_MS;
  const reactions = reactionsByMessage(doc, me);
  const located = locateMessages(doc);
  const indexOf = new Map<string, number>();
  located.forEach((m, i) => indexOf.set(m.message.id, i));
  // The other person has read everything up to the furthest message any of their markers names.
  let readUpTo = -1;
  for (const marker of policy.hideReads ? [] : othersReadMarkers(doc, me)) {
    readUpTo = Math.max(readUpTo, indexOf.get(marker.upTo) ?? -1);
  }
  const edits = doc.getMap<unknown>(Roots.edits);
  return located.map(({ message, client, clock }, index) => {
    const mine = message.from === me;
    let state: DeliveryState | null = null;
    if (mine) {
      if (index <= readUpTo) state = 'read';
      else if (covers(facts.received, client, clock)) state = 'delivered';
      else if (covers(facts.ack, client, clock)) state = 'sent';
      else state = 'pending';
    }
    const edit = edits.get(message.id);
    const view: MessageView = {
      id: message.id,
      from: message.from,
      text: isMessageEdit(edit) ? edit.text : message.text,
      at: message.at,
      mine,
      state,
      edited: isMessageEdit(edit),
      editedAt: isMessageEdit(edit) ? edit.at : null,
      canEdit:
        mine &&
        !policy.sealed &&
        !message.unsupported &&
        withinEditWindow(message.at, now, windowMs),
      reactions: reactions.get(message.id) ?? [],
      attachments: message.attachments ?? [],
      unsupported: message.unsupported,
    };
    if (message.replyTo !== undefined) view.replyToId = message.replyTo;
    return view;
  });
}

/**
 * The ids of the messages your read marker covers: those at or before it in the array.
 * The starting point for `readMarkerTarget`'s `seen` set.
 */
export function coveredByMyMarker(doc: Y.Doc, me: string): Set<string> {
  const located = locateMessages(doc);
  const marker = myReadMarker(doc, me);
  const markerIndex = marker ? located.findIndex((m) => m.message.id === marker.upTo) : -1;
  return new Set(located.slice(0, markerIndex + 1).map((m) => m.message.id));
}

/**
 * Your read marker in the document names the newest message: the other person sees every
 * message as read (read implies delivered), so a "received" frame would tell them nothing.
 */
export function readCoversAll(doc: Y.Doc, me: string): boolean {
  const located = locateMessages(doc);
  const last = located[located.length - 1];
  return last !== undefined && myReadMarker(doc, me)?.upTo === last.message.id;
}

/**
 * The message id to store as your read marker, or null when there is nothing new: the
 * newest message, once the other person has written something you have not marked.
 *
 * `seen` holds the ids already covered (default: those at or before your marker). It
 * is a set, not a position, because a message written concurrently can land *before*
 * your marker in the array although you never saw it.
 */
export function readMarkerTarget(
  doc: Y.Doc,
  me: string,
  seen: ReadonlySet<string> = coveredByMyMarker(doc, me),
): string | null {
  const located = locateMessages(doc);
  const last = located[located.length - 1];
  if (!last) return null;
  const unseen = located.some((m) => m.message.from !== me && !seen.has(m.message.id));
  return unseen ? last.message.id : null;
}
