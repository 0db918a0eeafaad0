/**
 * Open a conversation at a message (search results, `/c/<id>?m=<messageId>`): the message
 * list's `revealMessage(id)` when it has one (it loads older history, scrolls and highlights);
 * otherwise load older documents until the message is there, scroll it into view and
 * flash it. Resolves true when the message was shown.
 */
import type { Conversation } from '../data/conversation';

/** The message list as far as revealing goes: `revealMessage` is optional (newer lists have it). */
export interface RevealTarget extends HTMLElement {
  readonly updateComplete: Promise<boolean>;
  revealMessage?: (id: string) => Promise<void>;
}

/** Most older documents loaded while looking for the message (the fallback path). */
const MAX_OLDER_LOADS = 20;

export async function revealMessage(
  list: RevealTarget,
  conversation: Conversation,
  id: string,
): Promise<boolean> {
  await list.updateComplete;
  if (typeof list.revealMessage === 'function') {
    await list.revealMessage(id);
    return true;
  }
  const has = (): boolean => conversation.snapshot.messages.some((m) => m.id === id);
  const locate = (conversation as { locate?: (id: string) => Promise<boolean> }).locate;
  if (!has() && typeof locate === 'function') await locate.call(conversation, id);
  for (let i = 0; i < MAX_OLDER_LOADS && !has() && conversation.snapshot.older === 'more'; i++)
    await conversation.loadOlder();
  if (!has()) return false;
  // The list renders the conversation's newest state on its next update.
  await new Promise((r) => requestAnimationFrame(r));
  await list.updateComplete;
  const el = list.shadowRoot?.querySelector(`[data-message-id="${CSS.escape(id)}"]`);
  if (!(el instanceof HTMLElement)) return false;
  el.scrollIntoView({ block: 'center' });
  el.animate(
    [
      { outline: '3px solid var(--accent)', outlineOffset: '2px' },
      { outline: '3px solid transparent' },
    ],
    { duration: 2000, easing: 'ease-out' },
  );
  return true;
}
