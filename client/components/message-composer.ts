/**
 * `<parley-message-composer>`: the text box and "Send" button. Enter sends, Shift+Enter
 * starts a new line; blank text is not sent. Starts with `draft`; dispatches
 * `message-send`, `composer-typing` and `composer-draft` (to keep the draft). The attach
 * and voice-record buttons (their own components) dispatch `attachments-picked` and
 * `voice-recorded`, which bubble out of it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import { sharedStyles } from '../styles/shared-styles';
import { ComposerDraftEvent, ComposerTypingEvent, MessageSendEvent } from './events';
import './attach-button';
import './voice-recorder';

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
  @state() private hasText = false;
  @query('textarea') private textarea!: HTMLTextAreaElement | null;

  override render() {
    return html`<form @submit=${this.onSubmit}>
      <parley-attach-button ?disabled=${this.disabled}></parley-attach-button>
      <parley-voice-recorder ?disabled=${this.disabled}></parley-voice-recorder>
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
        Send
      </button>
    </form>`;
  }

  protected override firstUpdated(): void {
    if (this.textarea && this.draft) {
      this.textarea.value = this.draft;
      this.hasText = this.draft.trim().length > 0;
    }
  }

  /** Put the caret in the text box. */
  override focus(): void {
    this.textarea?.focus();
  }

  private readonly onInput = (): void => {
    const text = this.textarea?.value ?? '';
    this.hasText = text.trim().length > 0;
    this.dispatchEvent(new ComposerTypingEvent(this.hasText));
    this.dispatchEvent(new ComposerDraftEvent(text));
  };

  private readonly onBlur = (): void => {
    this.dispatchEvent(new ComposerTypingEvent(false));
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
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
    area.value = '';
    this.hasText = false;
    this.dispatchEvent(new MessageSendEvent(text));
    this.dispatchEvent(new ComposerDraftEvent(''));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-composer': MessageComposer;
  }
}
