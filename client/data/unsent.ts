/**
 * How many of your messages this device holds that the server has not stored yet — what
 * sign-out warns about ("2 messages have not been sent yet"). Open conversations report
 * their count as they change; the last count of each is remembered per user
 * (`parley:<userId>:unsent`), so a conversation closed (or a reload) while offline still
 * counts until it is opened again and its messages are acknowledged. Messages with
 * attachments waiting in the outbox are counted by the outbox itself.
 */
import type { ConversationState } from './conversation';

export const unsentKey = (userId: string): string => `parley:${userId}:unsent`;

export class UnsentMessages {
  private readonly storage: Storage | null;
  private readonly counts: Map<string, number>;

  constructor(
    private readonly userId: string,
    storage?: Storage | null,
  ) {
    this.storage =
      storage !== undefined ? storage : typeof localStorage === 'undefined' ? null : localStorage;
    this.counts = this.read();
  }

  /** A conversation changed: count its own messages still pending. */
  note(conversationId: string, state: Pick<ConversationState, 'ready' | 'messages'>): void {
    if (!state.ready) return;
    let n = 0;
    for (const m of state.messages) if (m.mine && m.state === 'pending') n++;
    if ((this.counts.get(conversationId) ?? 0) === n) return;
    if (n > 0) this.counts.set(conversationId, n);
    else this.counts.delete(conversationId);
    this.write();
  }

  /** Every conversation's unsent messages on this device. */
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  private read(): Map<string, number> {
    try {
      const raw = this.storage?.getItem(unsentKey(this.userId));
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (typeof parsed !== 'object' || parsed === null) return new Map();
      return new Map(
        Object.entries(parsed).filter(
          (e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0,
        ),
      );
    } catch {
      return new Map();
    }
  }

  private write(): void {
    try {
      if (this.counts.size === 0) this.storage?.removeItem(unsentKey(this.userId));
      else
        this.storage?.setItem(
          unsentKey(this.userId),
          JSON.stringify(Object.fromEntries(this.counts)),
        );
    } catch {
      // Storage full or disabled: open conversations are still counted in memory.
    }
  }
}
