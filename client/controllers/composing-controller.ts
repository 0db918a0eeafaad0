/**
 * What the composer of a conversation is doing besides writing a new message: replying to
 * a message or editing one of yours. Starts from a message's Reply / Edit (menu, keyboard
 * shortcut, swipe), turns the composer's send into `send(text, { replyTo })` or
 * `edit(id, text)`, and gives the draft back when an edit ends. Re-renders the host.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Conversation } from '../data/conversation';
import { excerptOf } from '../data/message-extras';
import type { MessageView } from '../data/message-state';
import type { ComposerContext } from '../components/composer-context';

/** The composer as far as this controller drives it. */
export interface ComposerLike {
  setText(text: string): void;
  focus(): void;
}

export class ComposingController {
  /** The reply or edit in progress, for the composer's `context`. */
  context: ComposerContext | null = null;
  /** Why the last edit did not go through (the window closed while editing). */
  notice: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly composer: () => ComposerLike | null,
    /** The conversation's saved draft (what the composer held before an edit). */
    private readonly draft: () => string,
  ) {}

  /** Forget any reply or edit (another conversation opened). */
  reset(): void {
    this.context = null;
    this.notice = null;
  }

  /** Reply to `m` (`author`: how the composer names its writer). */
  reply(m: MessageView, author: string): void {
    const wasEditing = this.context?.kind === 'edit';
    this.context = { kind: 'reply', id: m.id, author, excerpt: excerptOf(m) ?? '' };
    if (wasEditing) this.composer()?.setText(this.draft());
    this.changed();
  }

  /** Edit your message `m` (when it still may be edited): the composer takes its text. */
  edit(m: MessageView): void {
    if (!m.canEdit) return;
    this.context = { kind: 'edit', id: m.id, excerpt: excerptOf(m) ?? '' };
    this.composer()?.setText(m.text);
    this.changed();
  }

  /** The composer sent `text`: a reply, an edit or a new message. Returns the new id, if any. */
  send(conversation: Conversation | null, text: string): string | null {
    const c = this.context;
    if (c?.kind === 'edit') {
      const saved = conversation?.edit(c.id, text) ?? false;
      this.end();
      this.notice = saved ? null : 'Your edit was not saved: that message can no longer be edited.';
      return null;
    }
    this.notice = null;
    const id = conversation?.send(text, c?.kind === 'reply' ? { replyTo: c.id } : {}) ?? null;
    if (id) this.context = null;
    this.host.requestUpdate();
    return id;
  }

  /** Leave a reply or an edit (Cancel, Escape); after an edit the composer gets the draft back. */
  end(): void {
    const wasEditing = this.context?.kind === 'edit';
    this.context = null;
    if (wasEditing) this.composer()?.setText(this.draft());
    this.composer()?.focus();
    this.host.requestUpdate();
  }

  private changed(): void {
    this.notice = null;
    this.composer()?.focus();
    this.host.requestUpdate();
  }
}
