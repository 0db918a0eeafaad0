/**
 * The one place features hang off a stored change (hocuspocus's hooks, not closures
 * threaded through the composition root): a room emits after its write committed, and
 * list pushes today — notifications, search indexing and attachment cleanup later —
 * subscribe here. A failing listener is logged and never stops the others.
 */
import type { UpdateEffects } from './sync/validate-update';

export type CommitEvent =
  /**
   * An accepted update changed the projection (messages, deletes, edits, read markers,
   * reactions added and removed). `userId` wrote it; `purge` marks the server's own
   * update removing a deleted message's reactions and edit (after the deletion's event).
   */
  | {
      kind: 'projected';
      conversationId: string;
      doc: string;
      userId: string;
      /** The conversation's two participants, when the room knows them (saves a read). */
      participants?: readonly string[];
      effects: UpdateEffects;
      purge?: boolean;
    }
  /** A document was sealed: the conversation's live document is `live` now. */
  | { kind: 'sealed'; conversationId: string; doc: string; live: string };

export class AfterCommit {
  private readonly listeners = new Set<(event: CommitEvent) => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Listen to every commit event; returns the function that stops listening. */
  on(listener: (event: CommitEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: CommitEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}
