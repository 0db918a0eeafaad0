/**
 * What a push carries (JSON, encrypted for the device by web-push, RFC 8291). The service
 * worker builds the notification from it as text (sw/push.ts); nothing here is HTML.
 */
import type { PushPayload } from '../../shared/push';
import type { PreviewMode } from './push-store';

export type { PushPayload };

const MAX_BODY = 180;

const clip = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY ? `${flat.slice(0, MAX_BODY - 1)}…` : flat;
};

const plural = (n: number): string => (n === 1 ? 'New message' : `${n} new messages`);

export function messagePayload(
  preview: PreviewMode,
  m: { conversationId: string; messageId: string; senderName: string; text: string; count: number },
): PushPayload {
  const count = Math.max(1, m.count);
  const base = {
    type: 'message' as const,
    conversationId: m.conversationId,
    messageId: m.messageId,
    count,
    url: `/c/${m.conversationId}`,
  };
  switch (preview) {
    case 'name-and-message':
      return {
        ...base,
        title: m.senderName,
        body: count > 1 ? `${clip(m.text)} (${count} new messages)` : clip(m.text),
      };
    case 'name-only':
      return { ...base, title: m.senderName, body: plural(count) };
    case 'nothing':
      return { ...base, title: 'Parley', body: plural(count) };
  }
}

export function requestPayload(
  preview: PreviewMode,
  m: { conversationId: string; senderName: string },
): PushPayload {
  return {
    type: 'request',
    conversationId: m.conversationId,
    title: 'New message request',
    body: preview === 'nothing' ? 'Someone wants to talk to you.' : `From ${m.senderName}`,
    url: `/c/${m.conversationId}`,
  };
}
