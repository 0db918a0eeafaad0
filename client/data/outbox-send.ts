/**
 * How the outbox writes a message once its attachments are uploaded: into the open
 * conversation, or one opened for the purpose (the outbox also resumes after a reload,
 * when no conversation view is open). Its local copy keeps the message until it syncs.
 */
import type { AttachmentRef } from '../../shared/attachments';
import type { ConversationRepo } from './conversation-repo';
import type { Inbox } from './inbox';
import type { OutboxDeps } from './outbox';

export function sendThroughRepo(repo: ConversationRepo, inbox: Inbox): OutboxDeps['send'] {
  return async (conversationId: string, text: string, attachments: AttachmentRef[], replyTo) => {
    const open = repo.get(conversationId);
    if (open) return open.send(text, { attachments, ...(replyTo ? { replyTo } : {}) }) !== null;
    const summary = inbox.find(conversationId) ?? (await inbox.get(conversationId).catch(() => null));
    if (!summary) return false;
    const handle = repo.open({ id: summary.id, doc: summary.doc });
    try {
      return (
        handle.conversation.send(text, { attachments, ...(replyTo ? { replyTo } : {}) }) !== null
      );
    } finally {
      handle.release();
    }
  };
}
