/**
 * `<parley-composer-context>`: above the composer's text box, what the next send does
 * when it is not a plain new message — "Replying to Alice" with the first line of the
 * original, or "Editing your message" — and a button to cancel it (Escape in the text
 * box does the same). Dispatches `composer-cancel`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared-styles';
import { ComposerCancelEvent } from './events';

/** A reply to, or an edit of, message `id`. */
export type ComposerContext =
  | { kind: 'reply'; id: string; author: string; excerpt: string }
  | { kind: 'edit'; id: string; excerpt: string };

@customElement('parley-composer-context')
export class ComposerContextBar extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        margin-bottom: 0.45rem;
        padding: 0.35rem 0.4rem 0.35rem 0.75rem;
        border-left: 3px solid var(--accent);
        border-radius: var(--radius-small);
        background: var(--glass-strong);
        font-size: 0.85rem;
      }
      .what {
        flex: 1;
        min-width: 0;
        display: grid;
      }
      .title {
        font-weight: 600;
        color: var(--accent);
      }
      .excerpt {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        color: var(--muted);
      }
      button {
        flex: none;
        width: 2rem;
        height: 2rem;
        padding: 0;
        border-radius: 50%;
      }
    `,
  ];

  @property({ attribute: false }) context: ComposerContext | null = null;

  override render() {
    const c = this.context;
    if (!c) return null;
    const title = c.kind === 'reply' ? `Replying to ${c.author}` : 'Editing your message';
    return html`<div class="bar" role="group" aria-label=${title}>
      <div class="what">
        <span class="title">${title}</span>
        <span class="excerpt" dir="auto">${c.excerpt}</span>
      </div>
      <button
        class="ghost"
        type="button"
        aria-label=${c.kind === 'reply' ? 'Cancel reply' : 'Cancel editing'}
        title=${c.kind === 'reply' ? 'Cancel reply (Esc)' : 'Cancel editing (Esc)'}
        @click=${() => this.dispatchEvent(new ComposerCancelEvent())}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer-context': ComposerContextBar;
  }
}
