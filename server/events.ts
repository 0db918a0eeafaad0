/**
 * The user-level channel: a Server-Sent Events stream per signed-in tab that carries what
 * concerns the user rather than one conversation (list changes, unread counts, presence,
 * contacts). An open stream also counts as "online" for presence.
 */
import type { Response } from 'express';
import type { ConversationSummary } from '../shared/api';

export type ServerEvent =
  | { type: 'conversation'; conversation: ConversationSummary }
  | { type: 'conversation-removed'; id: string }
  | { type: 'presence'; userId: string; online: boolean; lastSeen: number | null }
  | { type: 'contacts' }
  /** `userId`'s profile (name, about, photo) changed; sent to their own streams. */
  | { type: 'profile'; userId: string }
  | { type: 'typing'; conversationId: string; userId: string; typing: boolean };

interface Stream {
  userId: string;
  sid: string;
  res: Response;
}

export class EventHub {
  private readonly streams = new Map<string, Set<Stream>>();
  private readonly heartbeat: ReturnType<typeof setInterval>;

  /**
   * @param maxPerUser open streams one user may hold (every tab of every device)
   * @param maxPerSession open streams one session (one browser) may hold
   */
  constructor(
    private readonly maxPerUser = 20,
    private readonly maxPerSession = 10,
  ) {
    // A comment line every 20 s keeps proxies from closing idle streams.
    this.heartbeat = setInterval(() => {
      for (const set of this.streams.values())
        for (const s of set) if (!s.res.writableEnded) s.res.write(': ping\n\n');
    }, 20_000);
    this.heartbeat.unref();
  }

  /** Why a new stream for this session would be refused (too many open), or null when it may open. */
  refusal(userId: string, sid: string): string | null {
    const set = this.streams.get(userId);
    if (!set) return null;
    if (set.size >= this.maxPerUser)
      return `Too many open Parley windows (at most ${this.maxPerUser}). Close some and reload.`;
    let mine = 0;
    for (const s of set) if (s.sid === sid) mine++;
    if (mine >= this.maxPerSession)
      return `Too many open Parley tabs in this browser (at most ${this.maxPerSession}). Close some and reload.`;
    return null;
  }

  /** Register an open stream (after `refusal` said yes); returns the function that unregisters it. */
  add(userId: string, sid: string, res: Response): () => void {
    const stream: Stream = { userId, sid, res };
    let set = this.streams.get(userId);
    if (!set) {
      set = new Set();
      this.streams.set(userId, set);
    }
    set.add(stream);
    return () => {
      const s = this.streams.get(userId);
      s?.delete(stream);
      if (s && s.size === 0) this.streams.delete(userId);
    };
  }

  /** True when the user has at least one open stream (skip computing events nobody hears). */
  has(userId: string): boolean {
    return this.streams.has(userId);
  }

  send(userId: string, event: ServerEvent): void {
    const set = this.streams.get(userId);
    if (!set) return;
    const data = `data: ${JSON.stringify(event)}\n\n`;
    // A revoked stream is ended at once but unregistered only when its 'close' arrives:
    // writing to it meanwhile would throw (write after end) and take the process down.
    for (const s of set) if (!s.res.writableEnded) s.res.write(data);
  }

  /** End the streams of one session, or of every session of the user but `except` when `sid` is null. */
  revoke(userId: string, sid: string | null, except?: string): void {
    for (const s of this.streams.get(userId) ?? []) {
      if ((sid === null || s.sid === sid) && s.sid !== except) s.res.end();
    }
  }

  get count(): number {
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const set of this.streams.values()) for (const s of set) s.res.end();
    this.streams.clear();
  }
}
