/**
 * `<parley-message-composer>`: the text box and "Send" button. Enter sends, Shift+Enter
 * starts a new line; blank text is not sent. Starts with `draft`; dispatches
 * `message-send`, `composer-typing` and `composer-draft` (to keep the draft).
 * With a `context` (a reply or an edit, shown above the text box) Escape cancels it
 * (`composer-cancel`); while editing, the text is the message's, not the draft, so no
 * draft or typing events go out and the button says "Save". The attach and voice-record
 * buttons (their own components) dispatch `attachments-picked` and `voice-recorded`,
 * which bubble out of it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import { sharedStyles } from '../styles/shared-styles';
import type { ComposerContext } from './composer-context';
import {
  ComposerCancelEvent,
  ComposerDraftEvent,
  ComposerTypingEvent,
  MessageSendEvent,
} from './events';
import './composer-context';
import './attach-button';
import { loadElement } from './lazy-elements';

@customElement('parley-message-composer')
export class MessageComposer extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        align-items: flex-end;
        gap: 0.6rem;
      }
      textarea {
        flex: 1;
        resize: none;
        min-height: 2.75rem;
        max-height: 10rem;
        field-sizing: content;
        line-height: 1.4;
        border-radius: 1.2rem;
        padding: 0.65rem 1rem;
        background: var(--glass-strong);
      }
      button {
        height: 2.75rem;
        padding: 0 1.2rem;
        border-radius: 1.4rem;
      }
    `,
  ];

  /** Disable input (e.g. when the conversation refused us). */
  @property({ type: Boolean }) disabled = false;
  /** The text to start with (the conversation's saved draft); read once, on first render. */
  @property({ attribute: false }) draft = '';
  /** A reply or an edit in progress (shown above the text box). */
  @property({ attribute: false }) context: ComposerContext | null = null;
  @state() private hasText = false;
  @query('textarea') private textarea!: HTMLTextAreaElement | null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Its own chunk (lazy-elements.ts); offline and not cached yet: the next open tries again.
    loadElement('parley-voice-recorder').catch(() => undefined);
  }

  override render() {
    const editing = this.context?.kind === 'edit';
    return html`<parley-composer-context .context=${this.context}></parley-composer-context>
      <form @submit=${this.onSubmit}>
        <parley-attach-button ?disabled=${this.disabled || editing}></parley-attach-button>
        <parley-voice-recorder ?disabled=${this.disabled || editing}></parley-voice-recorder>
        <textarea
          aria-label="Message"
          placeholder="Write a message…"
          rows="1"
          maxlength=${Limits.maxMessageChars}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${this.onBlur}
        ></textarea>
        <button class="primary" type="submit" ?disabled=${this.disabled || !this.hasText}>
          ${editing ? 'Save' : 'Send'}
        </button>
      </form>`;
  }

  protected override firstUpdated(): void {
    if (this.textarea && this.draft) {
      this.textarea.value = this.draft;
      this.hasText = this.draft.trim().length > 0;
    }
  }

  /** Replace the text (starting or ending an edit); the caret goes to its end. */
  setText(text: string): void {
    const area = this.textarea;
    if (!area) return;
    area.value = text;
    area.setSelectionRange(text.length, text.length);
    this.hasText = text.trim().length > 0;
  }

  /** Put the caret in the text box. */
  override focus(): void {
    this.textarea?.focus();
  }

  private readonly onInput = (): void => {
    const text = this.textarea?.value ?? '';
    this.hasText = text.trim().length > 0;
    if (this.context?.kind === 'edit') return;
    this.dispatchEvent(new ComposerTypingEvent(this.hasText));
    this.dispatchEvent(new ComposerDraftEvent(text));
  };

  private readonly onBlur = (): void => {
    this.dispatchEvent(new ComposerTypingEvent(false));
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.context && !e.isComposing) {
      e.preventDefault();
      this.dispatchEvent(new ComposerCancelEvent());
      return;
    }
    // isComposing: Enter that confirms an IME composition must not send.
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    this.send();
  };

  private readonly onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    this.send();
    this.textarea?.focus();
  };

  private send(): void {
    const area = this.textarea;
    if (!area || this.disabled) return;
    const text = area.value;
    if (text.trim().length === 0) return;
    const editing = this.context?.kind === 'edit';
    area.value = '';
    this.hasText = false;
    this.dispatchEvent(new MessageSendEvent(text));
    if (!editing) this.dispatchEvent(new ComposerDraftEvent(''));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-composer': MessageComposer;
  }
}
