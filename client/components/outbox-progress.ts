/**
 * `<parley-outbox-progress .pending>`: messages with attachments still on their way, each
 * with a progress bar and "Cancel"; a refused one says why.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PendingMessage } from '../data/outbox';
import { sharedStyles } from '../styles/shared-styles';
import { OutboxCancelEvent } from './attachment-events';

const describe = (m: PendingMessage): string => {
  const first = m.files[0];
  if (!first) return 'message';
  const what = first.kind === 'voice' ? 'voice note' : first.name;
  return m.files.length > 1 ? `${what} and ${m.files.length - 1} more` : what;
};

@customElement('parley-outbox-progress')
export class OutboxProgress extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0 0 0.5rem;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.35rem 0.6rem;
        border-radius: var(--radius-small);
        background: var(--glass);
        font-size: 0.9rem;
      }
      .what {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      progress {
        width: 6rem;
      }
      .error {
        color: var(--danger);
      }
      button {
        padding: 0.25rem 0.7rem;
      }
    `,
  ];

  @property({ attribute: false }) pending: readonly PendingMessage[] = [];

  override render() {
    if (this.pending.length === 0) return nothing;
    return html`<ul aria-label="Sending">
      ${this.pending.map((m) => {
        const what = describe(m);
        const status =
          m.state === 'failed'
            ? html`<span class="error" role="alert">Not sent: ${m.error}</span>`
            : m.state === 'waiting'
              ? html`<span class="muted">Waiting for the network…</span>`
              : html`<progress
                  max="100"
                  value=${Math.round(m.progress * 100)}
                  aria-label=${`Uploading ${what}`}
                ></progress>`;
        return html`<li>
          <span class="what">${what}</span>${status}
          <button
            type="button"
            aria-label=${`Cancel sending ${what}`}
            @click=${() => this.dispatchEvent(new OutboxCancelEvent(m.id))}
          >
            Cancel
          </button>
        </li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-outbox-progress': OutboxProgress;
  }
}
