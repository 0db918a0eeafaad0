/**
 * The custom events our components dispatch, as classes with typed payloads, and their
 * entries in `GlobalEventHandlersEventMap` so that `@navigate=${…}` and
 * `addEventListener('navigate', …)` are typed. All bubble and cross shadow roots.
 */

/** Go to an in-app path (History API). */
export class NavigateEvent extends Event {
  static readonly eventName = 'navigate';
  constructor(readonly path: string) {
    super(NavigateEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Open (or create) the conversation with a person. */
export class ConversationOpenEvent extends Event {
  static readonly eventName = 'conversation-open';
  constructor(readonly peerId: string) {
    super(ConversationOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The composer wants this text sent. */
export class MessageSendEvent extends Event {
  static readonly eventName = 'message-send';
  constructor(readonly text: string) {
    super(MessageSendEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person started or stopped typing in the composer. */
export class ComposerTypingEvent extends Event {
  static readonly eventName = 'composer-typing';
  constructor(readonly typing: boolean) {
    super(ComposerTypingEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The composer's text changed (or was sent: then ''); kept as the conversation's draft. */
export class ComposerDraftEvent extends Event {
  static readonly eventName = 'composer-draft';
  constructor(readonly text: string) {
    super(ComposerDraftEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The message list was scrolled to (or away from) the newest message. */
export class ListBottomEvent extends Event {
  static readonly eventName = 'list-bottom';
  constructor(readonly atBottom: boolean) {
    super(ListBottomEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person asked to sign out. */
export class SignOutEvent extends Event {
  static readonly eventName = 'sign-out';
  constructor() {
    super(SignOutEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    navigate: NavigateEvent;
    'conversation-open': ConversationOpenEvent;
    'message-send': MessageSendEvent;
    'composer-typing': ComposerTypingEvent;
    'composer-draft': ComposerDraftEvent;
    'list-bottom': ListBottomEvent;
    'sign-out': SignOutEvent;
  }
}
