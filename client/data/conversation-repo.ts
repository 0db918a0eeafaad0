/**
 * Open conversations by id, shared and ref-counted: two views of one conversation use
 * one Y.Doc and one socket. A conversation closes a moment after its last release, so
 * navigating away and back does not reopen IndexedDB and the socket.
 */
import { Conversation, type ActivityKind, type ConversationOptions } from './conversation';
import type { SyncStatus } from './conversation-sync';
import { SnapshotStore } from './store';

/** A lease on an open conversation; call `release()` exactly once when done. */
export interface ConversationHandle {
  readonly conversation: Conversation;
  release(): void;
}

/** Status of every open conversation, for the connection indicator and session expiry. */
export interface RepoState {
  statuses: ReadonlyMap<string, SyncStatus>;
}

export interface ConversationRepoOptions {
  /** The signed-in user's id. */
  me: string;
  /** How long a released conversation stays open; 1500 ms by default. */
  lingerMs?: number;
  /** Extra options for every conversation (sync factories in tests). */
  conversationOptions?: Partial<ConversationOptions>;
  /** A conversation's messages were stored by the server, arrived, or were read. */
  onActivity?: (conversationId: string, kind: ActivityKind) => void;
  /** Any change of an open conversation's state (e.g. to count its unsent messages). */
  onChange?: (conversationId: string, conversation: Conversation) => void;
}

interface Entry {
  conversation: Conversation;
  refs: number;
  closeTimer: ReturnType<typeof setTimeout> | null;
  /** Set while the list names a later live document than the one open here. */
  moveTimer: ReturnType<typeof setTimeout> | null;
  unsubscribe: () => void;
}

/**
 * How long a conversation whose socket is synced may go without the server's "sealed" notice
 * while the list already names a later document, before it moves on the list's word.
 */
const SEALED_NOTICE_WAIT_MS = 10_000;

export class ConversationRepo extends SnapshotStore<RepoState> {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: ConversationRepoOptions) {
    super({ statuses: new Map() });
  }

  /** Open (or share) the conversation; it starts loading the local copy, then syncs. */
  open(ref: { id: string; doc: string; editWindowMs?: number }): ConversationHandle {
    let entry = this.entries.get(ref.id);
    if (!entry) {
      const conversation = new Conversation({
        ...this.opts.conversationOptions,
        id: ref.id,
        docName: ref.doc,
        me: this.opts.me,
        ...(ref.editWindowMs !== undefined ? { editWindowMs: ref.editWindowMs } : {}),
        onActivity: (kind) => this.opts.onActivity?.(ref.id, kind),
      });
      const created: Entry = {
        conversation,
        refs: 0,
        closeTimer: null,
        moveTimer: null,
        unsubscribe: conversation.subscribe(() => {
          this.opts.onChange?.(ref.id, conversation);
          this.publish();
        }),
      };
      entry = created;
      this.entries.set(ref.id, created);
      void conversation.open();
      this.publish();
    }
    const e = entry;
    if (e.conversation.docName !== ref.doc) this.expectMove(ref.id, e, ref.doc);
    if (e.closeTimer) {
      clearTimeout(e.closeTimer);
      e.closeTimer = null;
    }
    e.refs++;
    let released = false;
    return {
      conversation: e.conversation,
      release: () => {
        if (released) return;
        released = true;
        if (--e.refs > 0) return;
        e.closeTimer = setTimeout(() => void this.close(ref.id), this.opts.lingerMs ?? 1500);
      },
    };
  }

  /**
   * The list knows a later live document (the server sealed the one open here). The
   * conversation moves by itself when its socket says "sealed": the server acknowledges what
   * it stored before that notice, so only then can the device tell its unsent messages (carried
   * to the new document) from stored ones (which would be refused there as duplicates). Moving
   * on the list's word is the fallback for a socket that stays synced without the notice.
   */
  private expectMove(id: string, e: Entry, doc: string): void {
    if (e.moveTimer) return;
    const check = (): void => {
      e.moveTimer = null;
      if (this.entries.get(id) !== e || e.conversation.docName === doc) return;
      if (e.conversation.snapshot.status === 'synced') void e.conversation.moveTo(doc);
      else e.moveTimer = setTimeout(check, SEALED_NOTICE_WAIT_MS);
    };
    e.moveTimer = setTimeout(check, SEALED_NOTICE_WAIT_MS);
  }

  /** The open conversation with this id, if any. */
  get(id: string): Conversation | undefined {
    return this.entries.get(id)?.conversation;
  }

  /** Reconnect every open conversation at once. */
  reconnectAll(): void {
    for (const e of this.entries.values()) e.conversation.reconnect();
  }

  /** Connect again every conversation the server closed with 4401 (the session is valid again). */
  resumeSignedIn(): void {
    for (const e of this.entries.values()) e.conversation.resumeSignedIn();
  }

  /** Close every conversation now (sign-out): needed before their databases can be deleted. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }

  private async close(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.closeTimer) clearTimeout(e.closeTimer);
    if (e.moveTimer) clearTimeout(e.moveTimer);
    this.entries.delete(id);
    e.unsubscribe();
    this.publish();
    await e.conversation.destroy();
  }

  private publish(): void {
    const statuses = new Map<string, SyncStatus>();
    for (const [id, e] of this.entries) statuses.set(id, e.conversation.snapshot.status);
    const prev = this.snapshot.statuses;
    if (prev.size === statuses.size && [...statuses].every(([id, s]) => prev.get(id) === s)) return;
    this.set({ statuses });
  }
}
