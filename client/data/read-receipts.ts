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
   * yet). A receipt would tell a stranger that you read them before you decided.
   */
  request: boolean | undefined;
}

/**
 * Seen means: the newest message is in view, the page is visible AND it has the focus —
 * a conversation left open in a background tab or window is not being read — and the
 * conversation is not an unaccepted message request.
 */
export function shouldMarkRead(facts: ReadingFacts): boolean {
  return facts.visible && facts.focused && facts.atBottom && facts.request === false;
}
