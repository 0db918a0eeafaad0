/**
 * `<parley-message-composer>`: the text box and "Send" button. Enter sends, Shift+Enter
 * starts a new line; blank text is not sent. Starts with `draft`; dispatches
 * `message-send`, `composer-typing` and `composer-draft` (to keep the draft).
 * With a `context` (a reply or an edit, shown above the text box) Escape cancels it
 * (`composer-cancel`); while editing, the text is the message's, not the draft, so no
 * draft or typing events go out and the button says "Save". The attach and voice-record
 * buttons (their own components) dispatch `attachments-picked` and `voice-recorded`,
 * which bubble out of it.
 * Near the length limit a counter appears (from `COUNTER_FROM` characters); text over the
 * limit (a long paste) is kept in full and not sent until it is shortened.
 */
import { LitElement, css, html, nothing } from 'lit';
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
import './attach-button';
import { loadElement, ready } from './lazy-elements';

const MAX = Limits.maxMessageChars;
/** The counter shows from this many characters on. */
export const COUNTER_FROM = 3500;
const n = (x: number): string => x.toLocaleString('en');

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
      .count {
        margin: 0 0 0.25rem;
        text-align: end;
        font-size: 0.8rem;
        color: var(--muted);
      }
      .count.over,
      .refused {
        color: var(--danger);
        font-weight: 600;
      }
      .refused {
        margin: 0 0 0.25rem;
        font-size: 0.85rem;
      }
      textarea[aria-invalid='true'] {
        outline: 2px solid var(--danger);
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
  /** Characters that count towards the limit (the trimmed text's). */
  @state() private length = 0;
  /** A send was refused because the text is too long (cleared once it fits). */
  @state() private refused = false;
  @query('textarea') private textarea!: HTMLTextAreaElement | null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Its own chunk (lazy-elements.ts); offline and not cached yet: the next open tries again.
    loadElement('parley-voice-recorder').catch(() => undefined);
  }

  override render() {
    const editing = this.context?.kind === 'edit';
    const over = this.length - MAX;
    const counted = this.length >= COUNTER_FROM;
    // "Replying to …" / "Editing …": its element loads with the first reply or edit.
    return html`${
        this.context && ready(this, 'parley-composer-context')
          ? html`<parley-composer-context .context=${this.context}></parley-composer-context>`
          : null
      }
      ${
        this.refused && over > 0
          ? html`<p class="refused" role="alert">
              Not sent: this message is ${n(over)} ${over === 1 ? 'character' : 'characters'} too
              long. Shorten it to ${n(MAX)} characters to send it.
            </p>`
          : null
      }
      ${
        counted
          ? html`<p id="composer-count" class="count ${over > 0 ? 'over' : ''}">
              ${
                over > 0
                  ? `${n(over)} ${over === 1 ? 'character' : 'characters'} over the limit (${n(this.length)} / ${n(MAX)})`
                  : `${n(this.length)} / ${n(MAX)} characters`
              }
            </p>`
          : null
      }
      <form @submit=${this.onSubmit}>
        <parley-attach-button ?disabled=${this.disabled || editing}></parley-attach-button>
        <parley-voice-recorder ?disabled=${this.disabled || editing}></parley-voice-recorder>
        <textarea
          aria-label="Message"
          placeholder="Write a message…"
          rows="1"
          dir="auto"
          aria-describedby=${counted ? 'composer-count' : nothing}
          aria-invalid=${over > 0 ? 'true' : 'false'}
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
      this.measure(this.draft);
    }
  }

  /** Replace the text (starting or ending an edit); the caret goes to its end. */
  setText(text: string): void {
    const area = this.textarea;
    if (!area) return;
    area.value = text;
    area.setSelectionRange(text.length, text.length);
    this.measure(text);
  }

  private measure(text: string): void {
    const trimmed = text.trim();
    this.hasText = trimmed.length > 0;
    this.length = trimmed.length;
    if (this.length <= MAX) this.refused = false;
  }

  /** Put the caret in the text box. */
  override focus(): void {
    this.textarea?.focus();
  }

  private readonly onInput = (): void => {
    const text = this.textarea?.value ?? '';
    this.measure(text);
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
    if (text.trim().length > MAX) {
      this.refused = true; // kept in full: the person shortens it
      return;
    }
    const editing = this.context?.kind === 'edit';
    area.value = '';
    this.measure('');
    this.dispatchEvent(new MessageSendEvent(text));
    if (!editing) this.dispatchEvent(new ComposerDraftEvent(''));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-composer': MessageComposer;
  }
}
