/**
 * Signals: the user-level notices every server process must act on — a session revoked, a
 * block or contact change, a conversation whose summary changed, a user's presence. One process today
 * (LocalSignals); Redis pub/sub in cluster mode (RedisSignals). Handlers are local,
 * idempotent actions (close this process's sockets, drop its cached answers, push to its
 * streams), so a signal is delivered to the publishing process too, at once.
 */

export type Signal =
  /** Close the sockets and event streams of one session, or of every session but `except` when `sid` is null. */
  | { kind: 'revoke'; userId: string; sid: string | null; except?: string }
  /** Contacts, requests or blocks between `a` and `b` changed: cached answers are stale. */
  | { kind: 'policy'; a: string; b: string }
  /** A conversation's summary changed (new message, read, seal): push it to its participants. */
  | { kind: 'conversation'; conversationId: string }
  /** A user's connections changed on some process: recompute whether they are online anywhere, push if it changed. */
  | { kind: 'presence'; userId: string }
  /**
   * An account was deleted: its messages (with their edits and reactions) and its reactions
   * leave every document of its conversations. Idempotent: every process may act on it.
   */
  | { kind: 'erase'; userId: string }
  /** A user's profile (display name, about, photo) changed: push it to the streams held here. */
  | { kind: 'profile'; userId: string }
  /** `userId` started or stopped typing in a conversation: the peer's event streams show it. */
  | { kind: 'typing'; conversationId: string; userId: string; typing: boolean }
  /** A user changed their privacy settings: cached answers are stale, push what changed. */
  | { kind: 'privacy'; userId: string };

export interface Signals {
  /** Act on `signal` in this process now, and deliver it to every other process. */
  publish(signal: Signal): void;
  /** Receive every signal (this process's own included). Returns an unsubscribe function. */
  subscribe(onSignal: (signal: Signal) => void): () => void;
  /** Stop delivering. */
  close(): Promise<void>;
}

/** Validates a signal that arrived from outside the process (never trust the medium blindly). */
export function parseSignal(raw: unknown): Signal | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 200;
  switch (s.kind) {
    case 'revoke':
      if (!str(s.userId) || !(s.sid === null || str(s.sid))) return null;
      if (s.except !== undefined && !str(s.except)) return null;
      return {
        kind: 'revoke',
        userId: s.userId,
        sid: s.sid,
        ...(s.except !== undefined ? { except: s.except } : {}),
      };
    case 'policy':
      return str(s.a) && str(s.b) ? { kind: 'policy', a: s.a, b: s.b } : null;
    case 'conversation':
      return str(s.conversationId)
        ? { kind: 'conversation', conversationId: s.conversationId }
        : null;
    case 'presence':
      return str(s.userId) ? { kind: 'presence', userId: s.userId } : null;
    case 'erase':
      return str(s.userId) ? { kind: 'erase', userId: s.userId } : null;
    case 'profile':
      return str(s.userId) ? { kind: 'profile', userId: s.userId } : null;
    case 'typing':
      return str(s.conversationId) && str(s.userId) && typeof s.typing === 'boolean'
        ? { kind: 'typing', conversationId: s.conversationId, userId: s.userId, typing: s.typing }
        : null;
    case 'privacy':
      return str(s.userId) ? { kind: 'privacy', userId: s.userId } : null;
    default:
      return null;
  }
}
