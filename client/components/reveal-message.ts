/**
 * Open a conversation at a message (search results, `/c/<id>?m=<messageId>`): the message
 * list's `revealMessage(id)` loads older history as needed, scrolls and highlights. Resolves
 * true when the message was shown.
 */

/** The message list as far as revealing goes. */
export interface RevealTarget extends HTMLElement {
  readonly updateComplete: Promise<boolean>;
  revealMessage(id: string): Promise<boolean>;
}

export async function revealMessage(list: RevealTarget, id: string): Promise<boolean> {
  await list.updateComplete;
  return await list.revealMessage(id);
}
