/**
 * When the signed-in user has read a conversation, so that a read receipt may go out.
 * The view reports what it knows (page visibility, focus, scroll position); the decision
 * lives here, where a test can check it without a browser.
 */

/** What decides whether the newest message counts as seen. */
export interface ReadingFacts {
  /** `document.visibilityState === 'visible'`. */
  visible: boolean;
  /** The page has the focus (`document.hasFocus()`). */
  focused: boolean;
  /** The newest message is in view. */
  atBottom: boolean;
  /**
   * The conversation is a message request you have not accepted (undefined: not known
   * yet: nothing is marked until it is). A request is read privately (`sharesReads`).
   */
  request: boolean | undefined;
}

/**
 * Seen means: the newest message is in view, the page is visible AND it has the focus —
 * a conversation left open in a background tab or window is not being read — and it is
 * known whether the conversation is a message request.
 */
export function shouldMarkRead(facts: ReadingFacts): boolean {
  return facts.visible && facts.focused && facts.atBottom && facts.request !== undefined;
}

/**
 * Does your read marker go into the shared document (a read receipt the other person
 * sees)? Not in a message request you received (that would tell a stranger you read them
 * before you decided) and not when read receipts are off on either side (the summary's
 * `receipts`, decided by the server): then the read goes to the server only, your unread
 * count clears on every device and the other person is not told. The other person's
 * reads are shown only when this is true.
 */
export function sharesReads(summary: { request: boolean; receipts?: boolean }): boolean {
  return !summary.request && summary.receipts !== false;
}
