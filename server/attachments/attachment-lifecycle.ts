/**
 * What happens to uploads after they are stored: a committed message binds the uploads it
 * references (from then on both participants may download them); delete for everyone drops
 * the rows and, once no other row uses the same bytes, the blobs and thumbnails; uploads no
 * message ever referenced are removed after `orphanAgeMs` by a periodic sweep.
 */
import type { CommitEvent } from '../after-commit';
import type { BlobStore } from './blob-store';
import type { AttachmentRow, AttachmentStore } from './attachment-store';
import { isAttachmentRef } from '../../shared/attachments';

export interface LifecycleOptions {
  /** Remove uploads never referenced after this long (ATTACHMENT_ORPHAN_HOURS, default 24 h). */
  orphanAgeMs: number;
  /** How often the sweep runs (default hourly). */
  sweepEveryMs: number;
  onError: (what: string, error: unknown) => void;
  /** Also remove what interrupted uploads left before this time (their temporary files). */
  sweepTemporary?: (before: number) => Promise<void>;
}

export class AttachmentLifecycle {
  /** Events are handled one after another, in commit order. */
  private queue: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly store: AttachmentStore,
    private readonly blobs: BlobStore,
    private readonly opts: LifecycleOptions,
  ) {}

  /** The AfterCommit listener. */
  readonly onCommit = (event: CommitEvent): void => {
    if (event.kind !== 'projected') return;
    const { added, deletedMessages } = event.effects;
    const bindings: { messageId: string; ids: string[] }[] = [];
    for (const m of added) {
      const refs = (m as { attachments?: unknown }).attachments;
      if (!Array.isArray(refs)) continue;
      const ids = refs.filter(isAttachmentRef).map((r) => r.id);
      if (ids.length > 0) bindings.push({ messageId: m.id, ids });
    }
    if (bindings.length === 0 && deletedMessages.length === 0) return;
    this.enqueue('binding or deleting attachments', async () => {
      for (const b of bindings) await this.store.bind(event.conversationId, b.messageId, b.ids);
      if (deletedMessages.length > 0)
        await this.release(
          await this.store.deleteForMessages(event.conversationId, deletedMessages),
        );
    });
  };

  /** Resolves once every event handed over so far is handled (the download route waits on it). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Remove uploads no message referenced, created before `now - orphanAgeMs`. */
  async sweep(now = Date.now()): Promise<number> {
    const gone = await this.store.deleteUnboundBefore(now - this.opts.orphanAgeMs);
    await this.release(gone);
    const stale = now - Math.min(this.opts.orphanAgeMs, 3_600_000);
    await this.blobs.sweepPartial(stale);
    await this.opts.sweepTemporary?.(stale);
    return gone.length;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.enqueue('sweeping orphaned uploads', async () => {
        await this.sweep();
      });
    }, this.opts.sweepEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue;
  }

  private enqueue(what: string, job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((e: unknown) => this.opts.onError(what, e));
  }

  /** Delete the blobs of removed rows that no remaining row uses. */
  private async release(rows: readonly AttachmentRow[]): Promise<void> {
    const hashes = new Set<string>();
    for (const r of rows) {
      hashes.add(r.sha256);
      if (r.thumbSha256) hashes.add(r.thumbSha256);
    }
    for (const h of hashes) if (!(await this.store.uses(h))) await this.blobs.delete(h);
  }
}
