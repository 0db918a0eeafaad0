/**
 * When to notify (issue #13): after a message is committed, for its recipient only; never
 * from someone they blocked, never for a declined request, once per message request, not
 * while they have the conversation open and visible on any device, not when muted or
 * switched off. Reading on any device clears the notification everywhere; delete for
 * everyone retracts one that showed the deleted message. Hangs off the after-commit event,
 * so in cluster mode the process that committed the message sends (subscriptions are in
 * PostgreSQL, and awareness from every process reaches its room over the bus).
 */
import type { CommitEvent } from '../after-commit';
import type { People } from '../people';
import type { Logger } from '../logger';
import { messagePayload, requestPayload } from './payload';
import type { PushStore } from './push-store';
import type { PushSender } from './sender';

export interface NotifierDeps {
  store: PushStore;
  people: People;
  sender: PushSender;
  /**
   * Who has the document open and visible on some device (awareness `viewing`), read when
   * the commit happens: what they saw then decides, not what they do by the time it is sent.
   */
  viewers: (doc: string) => ReadonlySet<string>;
  log: Logger;
  now?: () => number;
}

export class Notifier {
  /** Per conversation: the work queued for it, so pushes of one conversation keep their order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: NotifierDeps) {}

  get sender(): PushSender {
    return this.deps.sender;
  }

  readonly onCommit = (event: CommitEvent): void => {
    if (event.kind !== 'projected') return;
    const { effects } = event;
    if (effects.added.length + effects.deletedMessages.length + effects.reads.length === 0) return;
    const committedAt = performance.now();
    const viewers = effects.added.length > 0 ? this.deps.viewers(event.doc) : new Set<string>();
    // New messages only, and the recipient has the conversation open (only its two
    // participants can): nothing to push or close, so no reads at all (most messages).
    const last = effects.added[effects.added.length - 1];
    if (effects.deletedMessages.length + effects.reads.length === 0 && last)
      for (const v of viewers) if (v !== last.from) return;
    const prev = this.queues.get(event.conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => this.handle(event, committedAt, viewers))
      .catch((e: unknown) => this.deps.log.error('notifying failed', { error: String(e) }))
      .finally(() => {
        if (this.queues.get(event.conversationId) === next)
          this.queues.delete(event.conversationId);
      });
    this.queues.set(event.conversationId, next);
  };

  /** `userId` read the conversation outside its document (receipts off): close its notification. */
  readPrivately(conversationId: string, userId: string): void {
    const prev = this.queues.get(conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => this.clear(userId, conversationId))
      .catch((e: unknown) => this.deps.log.error('notifying failed', { error: String(e) }))
      .finally(() => {
        if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
      });
    this.queues.set(conversationId, next);
  }

  private async clear(userId: string, conversationId: string): Promise<void> {
    const { store, sender } = this.deps;
    if ((await store.showing(userId, conversationId)) === null) return;
    await store.setShowing(userId, conversationId, null);
    await sender.toUser(userId, { type: 'clear', conversationId });
  }

  /** Resolves when every notification queued so far was handled (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private async handle(
    event: Extract<CommitEvent, { kind: 'projected' }>,
    committedAt: number,
    viewers: ReadonlySet<string>,
  ): Promise<void> {
    const { store, people, sender } = this.deps;
    const { effects: fx } = event;
    const newest = fx.added[fx.added.length - 1];
    if (newest && fx.reads.length + fx.deletedMessages.length === 0 && event.participants) {
      // Only new messages: most recipients have no device subscribed, so ask that first
      // (one indexed read per message, not the conversation's row too).
      const to = event.participants.find((p) => p !== newest.from);
      if (to === undefined || viewers.has(to)) return;
      if ((await store.subscriptions(to)).length === 0) return;
    }
    if (fx.added.length === 0 && fx.deletedMessages.length === 0) {
      // Only reads (a read marker moved, once per message with the chat open): no row needed.
      for (const r of fx.reads) await this.clear(r.userId, event.conversationId);
      return;
    }
    const c = await people.conversations.byId(event.conversationId);
    if (!c) return;
    const { effects } = event;
    // Read on some device: close the notification on every device.
    for (const r of effects.reads) await this.clear(r.userId, c.id);
    // Deleted for everyone: a notification showing the deleted message goes away.
    if (effects.deletedMessages.length > 0) {
      const deleted = new Set(effects.deletedMessages);
      for (const userId of [c.userA, c.userB]) {
        const shown = await store.showing(userId, c.id);
        if (shown === null || !deleted.has(shown)) continue;
        await store.setShowing(userId, c.id, null);
        await sender.toUser(userId, { type: 'retract', conversationId: c.id, messageId: shown });
      }
    }
    const last = effects.added[effects.added.length - 1];
    if (!last) return;
    const recipient = people.peerOf(c, last.from);
    if (recipient === last.from || viewers.has(recipient)) return;
    // Most recipients have no device subscribed: one indexed read per message, nothing more.
    if ((await store.subscriptions(recipient)).length === 0) return;
    const [settings, mute, blocked, hidden] = await Promise.all([
      store.settings(recipient),
      store.mute(recipient, c.id),
      people.store.hasBlocked(recipient, last.from),
      people.store.isHidden(c.id, recipient),
    ]);
    if (!settings.enabled || blocked || hidden) return;
    const now = (this.deps.now ?? Date.now)();
    if (mute && (mute.until === null || mute.until > now)) return;
    const senderName = (await people.users.byId(last.from))?.displayName ?? 'Someone';
    if (people.isRequestFor(c, recipient)) {
      if (await store.requestNotified(recipient, c.id)) return;
      await store.setRequestNotified(recipient, c.id);
      await sender.toUser(
        recipient,
        requestPayload(settings.preview, { conversationId: c.id, senderName }),
      );
      return;
    }
    const count = await people.conversations.unread(c.id, recipient);
    await store.setShowing(recipient, c.id, last.id);
    await sender.toUser(
      recipient,
      messagePayload(settings.preview, {
        conversationId: c.id,
        messageId: last.id,
        senderName,
        text: last.text,
        count,
      }),
      committedAt,
    );
  }
}
