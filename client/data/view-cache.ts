/**
 * The newest messages of each conversation as they were last shown, kept on the device so
 * that opening a conversation paints them before its document has loaded: reading a 10,000-
 * message document from IndexedDB and building its views takes a tenth of a second or more
 * (docs/benchmarks.md, "First window"); this small record is read synchronously.
 *
 * localStorage, not IndexedDB: the browser runs one origin's IndexedDB requests in order,
 * so a small read queued behind the document's load would finish after it. One key per
 * conversation under the user's prefix (`parley:<id>:views:<conversation>`, deleted with
 * the rest of the user's local data at sign-out); when the storage is full, the cached
 * windows are given up (they are only a head start) rather than anything else.
 *
 * What is painted from it is a preview: the conversation stays "not ready" (nothing is
 * marked read, nothing is editable) until the document's own views replace it. Writes are
 * coalesced; a change that takes content away (a message deleted for everyone, an edit, a
 * chat cleared) is written at once, so it does not survive a closed tab.
 */
import type { MessageView } from './message-state';
import { sameViews } from './view-equality';

/** How many of the newest messages are kept: more than a tall screen shows. */
export const CACHED_VIEWS = 40;
/** How long writes of one conversation are coalesced. */
const WRITE_DELAY_MS = 500;

export const viewsKey = (userId: string, conversationId: string): string =>
  `parley:${userId}:views:${conversationId}`;

export class ViewCache {
  private readonly storage: Storage | null;
  /** Per conversation: the newest views last written (or read), to skip identical writes. */
  private readonly written = new Map<string, readonly MessageView[]>();
  private readonly queued = new Map<string, readonly MessageView[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly userId: string,
    storage?: Storage | null,
  ) {
    this.storage =
      storage !== undefined ? storage : typeof localStorage === 'undefined' ? null : localStorage;
  }

  /** The views last shown of conversation `id` ([] when none or unreadable). */
  read(id: string): MessageView[] {
    try {
      const raw = this.storage?.getItem(viewsKey(this.userId, id));
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      const views = Array.isArray(parsed) ? (parsed as unknown[]).filter(isView) : [];
      if (!this.written.has(id)) this.written.set(id, views);
      return views;
    } catch {
      return [];
    }
  }

  /** Remember the newest of `messages` (the conversation's current views). */
  remember(id: string, messages: readonly MessageView[]): void {
    if (this.closed) return;
    const views = messages.slice(-CACHED_VIEWS);
    const before = this.queued.get(id) ?? this.written.get(id);
    if (before && sameViews(before, views)) return;
    this.queued.set(id, views);
    if (before && takesAway(before, views)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Stop: drop what is queued and write nothing more (the user signs out). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queued.clear();
  }

  /** Write everything queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [id, views] of this.queued) {
      this.written.set(id, views);
      this.write(viewsKey(this.userId, id), JSON.stringify(views));
    }
    this.queued.clear();
  }

  private write(key: string, value: string): void {
    const storage = this.storage;
    if (!storage) return;
    try {
      storage.setItem(key, value);
    } catch {
      // Full: drop every cached window of this user (drafts and the rest stay), try once more.
      const prefix = viewsKey(this.userId, '');
      for (let i = storage.length - 1; i >= 0; i--) {
        const k = storage.key(i);
        if (k?.startsWith(prefix)) storage.removeItem(k);
      }
      try {
        storage.setItem(key, value);
      } catch {
        // Still full: the next open simply waits for the document.
      }
    }
  }
}

/** The shape checks a cached view must pass to be painted (it is this device's own data). */
function isView(v: unknown): v is MessageView {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<MessageView>;
  return (
    typeof m.id === 'string' &&
    typeof m.from === 'string' &&
    typeof m.text === 'string' &&
    typeof m.at === 'number' &&
    typeof m.mine === 'boolean' &&
    Array.isArray(m.reactions) &&
    Array.isArray(m.attachments)
  );
}

/**
 * True when `next` no longer shows content that `before` did: a message gone (not just
 * scrolled out of the newest window), deleted for everyone, or its text changed.
 */
function takesAway(before: readonly MessageView[], next: readonly MessageView[]): boolean {
  const now = new Map(next.map((v) => [v.id, v]));
  const oldestKept = next[0]?.at ?? Infinity;
  for (const v of before) {
    const n = now.get(v.id);
    if (!n) {
      if (next.length === 0 || v.at >= oldestKept) return true;
      continue;
    }
    if ((n.deleted === true && v.deleted !== true) || n.text !== v.text) return true;
  }
  return false;
}
