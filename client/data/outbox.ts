/**
 * The attachment outbox: a message with photos, files or voice notes waits here, its bytes
 * in IndexedDB (`parley:<userId>:outbox`), until every file is uploaded; only then is the
 * message written into the conversation, with the tokens the server returned — so it never
 * reaches the other side before its bytes are stored. Survives reloads and going offline:
 * uploads resume when the network returns (the same upload key: the server returns the same
 * attachment for a retry), and each message is sent once. Progress and cancel per message.
 */
import type { AttachmentKind, AttachmentRef } from '../../shared/attachments';
import { ApiError } from './api';
import type { UploadFn } from './attachment-upload';
import { IdbStore } from './idb-store';
import { SnapshotStore } from './store';

export interface OutgoingFile {
  blob: Blob;
  name: string;
  /** A recorded voice note and its duration. */
  voice?: { durationMs: number };
}

interface QueuedFile extends OutgoingFile {
  key: string;
  ref?: AttachmentRef;
}

interface QueuedMessage {
  id: string;
  conversationId: string;
  text: string;
  replyTo?: string;
  files: QueuedFile[];
  created: number;
}

export interface PendingFile {
  name: string;
  size: number;
  kind: AttachmentKind;
  uploaded: boolean;
}

/** What the composer shows for a message still in the outbox. */
export interface PendingMessage {
  id: string;
  conversationId: string;
  text: string;
  files: readonly PendingFile[];
  /** 0..1 over all its files' bytes. */
  progress: number;
  /** waiting: for the network or its turn; failed: the server refused it (see `error`). */
  state: 'waiting' | 'uploading' | 'failed';
  error: string | null;
}

export interface OutboxState {
  pending: readonly PendingMessage[];
}

export interface OutboxDeps {
  userId: string;
  /** Write the message into the conversation; false when it cannot be written now. */
  send: (
    conversationId: string,
    text: string,
    attachments: AttachmentRef[],
    replyTo?: string,
  ) => boolean | Promise<boolean>;
  upload?: UploadFn;
  store?: IdbStore<QueuedMessage>;
  win?: Window | null;
  /** Retry waiting messages this often while any wait (default 15 s). */
  retryMs?: number;
}

const randomKey = (): string => {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

const kindOf = (f: OutgoingFile): AttachmentKind =>
  f.voice ? 'voice' : f.blob.type.startsWith('image/') ? 'image' : 'file';

export class Outbox extends SnapshotStore<OutboxState> {
  private readonly queue: QueuedMessage[] = [];
  private readonly views = new Map<string, PendingMessage>();
  private readonly store: IdbStore<QueuedMessage>;
  private readonly upload: UploadFn;
  private readonly win: Window | null;
  private inflight: { id: string; ctrl: AbortController } | null = null;
  private pumping = false;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(private readonly deps: OutboxDeps) {
    super({ pending: [] });
    this.store = deps.store ?? new IdbStore<QueuedMessage>(`parley:${deps.userId}:outbox`);
    // The upload code loads with the first upload (its own chunk: not needed at first paint).
    this.upload =
      deps.upload ??
      ((input, onProgress, signal) =>
        import('./attachment-upload').then((m) => m.uploadAttachment(input, onProgress, signal)));
    this.win = deps.win !== undefined ? deps.win : typeof window === 'undefined' ? null : window;
  }

  /** Load what an earlier session left queued and start sending. */
  async start(): Promise<void> {
    this.win?.addEventListener('online', this.kick);
    this.timer = setInterval(this.kick, this.deps.retryMs ?? 15_000);
    let stored: QueuedMessage[] = [];
    try {
      stored = await this.store.all();
    } catch {
      stored = []; // no IndexedDB (private mode): the outbox lives in memory only
    }
    for (const m of stored.sort((a, b) => a.created - b.created)) this.enqueue(m);
    this.kick();
  }

  /** Queue a message with `files`; resolves once its bytes are kept on this device. */
  async add(
    conversationId: string,
    text: string,
    files: readonly OutgoingFile[],
    replyTo?: string,
  ): Promise<string> {
    const m: QueuedMessage = {
      id: randomKey(),
      conversationId,
      text,
      ...(replyTo ? { replyTo } : {}),
      files: files.map((f) => ({ ...f, key: randomKey() })),
      created: Date.now(),
    };
    await this.persist(m);
    this.enqueue(m);
    this.kick();
    return m.id;
  }

  /** Queue picked files as one message each (HEIC photos become JPEG where possible). */
  async addFiles(conversationId: string, files: readonly File[]): Promise<void> {
    const { prepareFile } = await import('./prepare-file');
    for (const f of files) await this.add(conversationId, '', [await prepareFile(f)]);
  }

  /** Drop a queued message (and stop its upload). */
  async cancel(id: string): Promise<void> {
    const i = this.queue.findIndex((m) => m.id === id);
    if (i >= 0) this.queue.splice(i, 1);
    this.views.delete(id);
    if (this.inflight?.id === id) this.inflight.ctrl.abort();
    this.publish();
    await this.store.delete(id).catch(() => undefined);
  }

  /** Try the waiting messages now (the network came back). */
  readonly kick = (): void => {
    if (this.disposed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  };

  dispose(): void {
    this.disposed = true;
    this.inflight?.ctrl.abort();
    this.win?.removeEventListener('online', this.kick);
    if (this.timer) clearInterval(this.timer);
    this.store.close();
  }

  private enqueue(m: QueuedMessage): void {
    this.queue.push(m);
    this.views.set(m.id, {
      id: m.id,
      conversationId: m.conversationId,
      text: m.text,
      files: m.files.map((f) => ({
        name: f.name,
        size: f.blob.size,
        kind: kindOf(f),
        uploaded: f.ref !== undefined,
      })),
      progress: 0,
      state: 'waiting',
      error: null,
    });
    this.publish();
  }

  private async persist(m: QueuedMessage): Promise<void> {
    try {
      await this.store.put(m);
    } catch {
      // Kept in memory: sent while this page lives.
    }
  }

  private view(id: string, patch: Partial<PendingMessage>): void {
    const v = this.views.get(id);
    if (!v) return;
    this.views.set(id, { ...v, ...patch });
    this.publish();
  }

  private publish(): void {
    this.set({ pending: this.queue.map((m) => this.views.get(m.id)).filter((v) => v !== undefined) });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (const m of [...this.queue]) {
          if (this.disposed) return;
          if (!this.queue.includes(m) || this.views.get(m.id)?.state === 'failed') continue;
          const outcome = await this.sendOne(m);
          if (outcome === 'offline') break; // the rest waits for the network too
        }
      } while (this.again && !this.disposed);
    } finally {
      this.pumping = false;
    }
  }

  private async sendOne(m: QueuedMessage): Promise<'sent' | 'offline' | 'failed' | 'cancelled'> {
    const total = m.files.reduce((n, f) => n + f.blob.size, 0) || 1;
    let done = m.files.reduce((n, f) => n + (f.ref ? f.blob.size : 0), 0);
    for (const f of m.files) {
      if (f.ref) continue;
      const ctrl = new AbortController();
      this.inflight = { id: m.id, ctrl };
      this.view(m.id, { state: 'uploading', error: null, progress: done / total });
      try {
        f.ref = await this.upload(
          {
            conversationId: m.conversationId,
            blob: f.blob,
            name: f.name,
            key: f.key,
            ...(f.voice ? { voice: f.voice } : {}),
          },
          (sent) => this.view(m.id, { progress: Math.min(1, (done + sent) / total) }),
          ctrl.signal,
        );
      } catch (e) {
        if (!this.queue.includes(m)) return 'cancelled';
        const err =
          e instanceof ApiError ? e : new ApiError('network', 'The upload was cancelled.', 0);
        if (err.code === 'network' || err.code === 'internal' || err.code === 'rate-limited') {
          this.view(m.id, { state: 'waiting' });
          return 'offline';
        }
        this.view(m.id, { state: 'failed', error: err.message });
        return 'failed';
      } finally {
        this.inflight = null;
      }
      done += f.blob.size;
      if (!this.queue.includes(m)) return 'cancelled';
      await this.persist(m);
      const v = this.views.get(m.id);
      if (v)
        this.view(m.id, {
          files: v.files.map((pf, i) => (m.files[i]?.ref ? { ...pf, uploaded: true } : pf)),
        });
    }
    if (!this.queue.includes(m)) return 'cancelled';
    const refs = m.files.map((f) => f.ref).filter((r) => r !== undefined);
    const sent = await this.deps.send(m.conversationId, m.text, refs, m.replyTo);
    if (!sent) {
      this.view(m.id, { state: 'waiting', progress: 1 });
      return 'offline';
    }
    // Written into the document (and its local copy): never send it again.
    this.queue.splice(this.queue.indexOf(m), 1);
    this.views.delete(m.id);
    this.publish();
    await this.store.delete(m.id).catch(() => undefined);
    return 'sent';
  }
}
