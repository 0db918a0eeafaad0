/**
 * What a Web Push message carries (JSON, encrypted for the device, RFC 8291): built by the
 * server (server/push/payload.ts), read by the service worker (sw/push.ts), which makes the
 * notification from it as plain text.
 */
export type PushPayload =
  /** New messages in a conversation: one notification per conversation (its tag), replaced. */
  | {
      type: 'message';
      conversationId: string;
      messageId: string;
      title: string;
      body: string;
      /** Unread messages of the conversation, this one included. */
      count: number;
      url: string;
    }
  /** The first message of a request: one quiet notification, never one per message. */
  | { type: 'request'; conversationId: string; title: string; body: string; url: string }
  /** Read on some device: close the conversation's notification everywhere. */
  | { type: 'clear'; conversationId: string }
  /** Deleted for everyone: close the notification if it shows this message. */
  | { type: 'retract'; conversationId: string; messageId: string };

/** The notification tag of a conversation: one notification per conversation. */
export const notificationTag = (conversationId: string): string => `conversation:${conversationId}`;

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** Read a payload strictly; null for anything else (the SW shows nothing for it). */
export function parsePushPayload(raw: unknown): PushPayload | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Record<string, unknown>;
  if (!str(p.conversationId, 64)) return null;
  switch (p.type) {
    case 'clear':
      return { type: 'clear', conversationId: p.conversationId };
    case 'retract':
      return str(p.messageId, 64)
        ? { type: 'retract', conversationId: p.conversationId, messageId: p.messageId }
        : null;
    case 'request':
      return str(p.title, 200) && str(p.body, 400) && str(p.url, 200) && p.url.startsWith('/')
        ? { type: 'request', conversationId: p.conversationId, title: p.title, body: p.body, url: p.url }
        : null;
    case 'message':
      return str(p.messageId, 64) &&
        str(p.title, 200) &&
        str(p.body, 400) &&
        str(p.url, 200) &&
        p.url.startsWith('/') &&
        typeof p.count === 'number'
        ? {
            type: 'message',
            conversationId: p.conversationId,
            messageId: p.messageId,
            title: p.title,
            body: p.body,
            count: p.count,
            url: p.url,
          }
        : null;
    default:
      return null;
  }
}
