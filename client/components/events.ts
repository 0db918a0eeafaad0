/**
 * The custom events our components dispatch, as classes with typed payloads, and their
 * entries in `GlobalEventHandlersEventMap` so that `@navigate=${…}` and
 * `addEventListener('navigate', …)` are typed. All bubble and cross shadow roots.
 */
import type { MuteDuration, NotificationSettings } from '../../shared/api';

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

/** The message list reached its oldest message and older history can be loaded. */
export class ListTopEvent extends Event {
  static readonly eventName = 'list-top';
  constructor() {
    super(ListTopEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person asked to sign out. */
export class SignOutEvent extends Event {
  static readonly eventName = 'sign-out';
  constructor() {
    super(SignOutEvent.eventName, { bubbles: true, composed: true });
  }
}

/** An item of a `<parley-menu-button>` was chosen. */
export class MenuSelectEvent extends Event {
  static readonly eventName = 'menu-select';
  constructor(readonly value: string) {
    super(MenuSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person confirmed deleting one of their messages for everyone. */
export class MessageDeleteEvent extends Event {
  static readonly eventName = 'message-delete';
  constructor(readonly messageId: string) {
    super(MessageDeleteEvent.eventName, { bubbles: true, composed: true });
  }
}

/** What can be done to one message from its menu, its keyboard shortcuts or a swipe. */
export type MessageAction = 'reply' | 'edit' | 'react' | 'copy' | 'delete';

/** A message bubble asks for an action on its message (the list or the view carries it out). */
export class MessageActionEvent extends Event {
  static readonly eventName = 'message-action';
  constructor(
    readonly action: MessageAction,
    readonly messageId: string,
  ) {
    super(MessageActionEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Add your reaction `emoji` to a message, or take it back. */
export class ReactionToggleEvent extends Event {
  static readonly eventName = 'reaction-toggle';
  constructor(
    readonly messageId: string,
    readonly emoji: string,
  ) {
    super(ReactionToggleEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Show this message in the list (a reply's quote was activated): load, scroll, highlight. */
export class MessageRevealEvent extends Event {
  static readonly eventName = 'message-reveal';
  constructor(readonly messageId: string) {
    super(MessageRevealEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The composer's reply or edit was cancelled (its Cancel button, or Escape). */
export class ComposerCancelEvent extends Event {
  static readonly eventName = 'composer-cancel';
  constructor() {
    super(ComposerCancelEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A popup (the reaction picker) closed itself: the opener takes the focus back. */
export class PopupCloseEvent extends Event {
  static readonly eventName = 'popup-close';
  constructor() {
    super(PopupCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A people action: add / remove a contact, block / unblock, answer a contact request. */
export type PersonAction = 'add' | 'remove' | 'block' | 'unblock' | 'accept' | 'decline' | 'cancel';

export class PersonActionEvent extends Event {
  static readonly eventName = 'person-action';
  constructor(
    readonly action: PersonAction,
    /** The person's user id, or the contact request's id for accept / decline / cancel. */
    readonly subject: string,
  ) {
    super(PersonActionEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person chose a colour theme. */
export class ThemeChangeEvent extends Event {
  static readonly eventName = 'theme-change';
  constructor(readonly theme: 'system' | 'dark' | 'light') {
    super(ThemeChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** What the notifications dialog asks for. */
export type PushAction =
  | { kind: 'enable' }
  | { kind: 'disable' }
  | { kind: 'settings'; settings: NotificationSettings }
  | { kind: 'sound'; on: boolean };

export class PushActionEvent extends Event {
  static readonly eventName = 'push-action';
  constructor(readonly action: PushAction) {
    super(PushActionEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Open the notifications dialog. */
export class NotificationsOpenEvent extends Event {
  static readonly eventName = 'notifications-open';
  constructor() {
    super(NotificationsOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Mute a conversation's notifications for a while, always, or (null) unmute. */
export class MuteEvent extends Event {
  static readonly eventName = 'conversation-mute';
  constructor(
    readonly conversationId: string,
    readonly duration: MuteDuration | null,
  ) {
    super(MuteEvent.eventName, { bubbles: true, composed: true });
  }
}

/** What a conversation's menu (in the list or its header) can do for the signed-in user only. */
export type ConversationPrefAction = 'pin' | 'unpin' | 'archive' | 'unarchive' | 'clear';

/** Pin, archive or "delete chat for me" (which asks first) one conversation. */
export class ConversationPrefEvent extends Event {
  static readonly eventName = 'conversation-pref';
  constructor(
    readonly conversationId: string,
    readonly action: ConversationPrefAction,
  ) {
    super(ConversationPrefEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conversation-pref': ConversationPrefEvent;
    'push-action': PushActionEvent;
    'notifications-open': NotificationsOpenEvent;
    'conversation-mute': MuteEvent;
    navigate: NavigateEvent;
    'conversation-open': ConversationOpenEvent;
    'message-send': MessageSendEvent;
    'composer-typing': ComposerTypingEvent;
    'composer-draft': ComposerDraftEvent;
    'list-bottom': ListBottomEvent;
    'list-top': ListTopEvent;
    'sign-out': SignOutEvent;
    'menu-select': MenuSelectEvent;
    'message-delete': MessageDeleteEvent;
    'message-action': MessageActionEvent;
    'reaction-toggle': ReactionToggleEvent;
    'message-reveal': MessageRevealEvent;
    'composer-cancel': ComposerCancelEvent;
    'popup-close': PopupCloseEvent;
    'person-action': PersonActionEvent;
    'theme-change': ThemeChangeEvent;
  }
}
