/**
 * `<parley-message-attachments .attachments .conversationId .mine>`: what a message carries.
 * Photos as thumbnails sized from their width and height before they load (no layout jump),
 * each opening a full-size viewer (a modal dialog: Escape or "Close" leave it); files as a
 * download chip with name and size; voice notes as an inline player with their duration.
 * Only URLs are rendered here: the browser (and the service worker's cache) fetch them.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import {
  attachmentPath,
  formatBytes,
  formatDuration,
  type AttachmentRef,
} from '../../shared/attachments';
import { sharedStyles } from '../styles/shared-styles';

/** Longest side of a thumbnail on screen, in CSS pixels. */
const THUMB_MAX = 240;

function thumbSize(ref: AttachmentRef): { w: number; h: number } {
  const w = ref.width && ref.width > 0 ? ref.width : THUMB_MAX;
  const h = ref.height && ref.height > 0 ? ref.height : THUMB_MAX;
  const scale = Math.min(1, THUMB_MAX / Math.max(w, h));
  return { w: Math.max(40, Math.round(w * scale)), h: Math.max(40, Math.round(h * scale)) };
}

@customElement('parley-message-attachments')
export class MessageAttachments extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
        margin-bottom: 0.25rem;
      }
      .photos {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
      }
      button.photo {
        padding: 0;
        border: none;
        background: var(--glass);
        border-radius: var(--radius-small);
        overflow: hidden;
        line-height: 0;
      }
      button.photo img {
        display: block;
        max-width: 100%;
        height: auto;
        object-fit: cover;
      }
      a.file {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        padding: 0.45rem 0.75rem;
        border-radius: var(--radius-small);
        background: var(--glass-strong);
        color: inherit;
        text-decoration: none;
        max-width: 100%;
      }
      a.file .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-weight: 600;
      }
      .voice {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .voice audio {
        height: 2.25rem;
        max-width: 15rem;
      }
      dialog {
        border: none;
        padding: 0;
        background: transparent;
        max-width: 100vw;
        max-height: 100vh;
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.85);
      }
      dialog img {
        display: block;
        max-width: 95vw;
        max-height: 88vh;
        object-fit: contain;
      }
      dialog .bar {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        color: #fff;
        padding: 0.4rem 0;
      }
    `,
  ];

  @property({ attribute: false }) attachments: readonly AttachmentRef[] = [];
  @property({ attribute: false }) conversationId = '';
  /** The message is the viewer's own (styling only). */
  @property({ type: Boolean, reflect: true }) mine = false;
  @state() private viewing: AttachmentRef | null = null;
  @query('dialog') private dialog!: HTMLDialogElement | null;

  override render() {
    if (this.attachments.length === 0 || !this.conversationId) return nothing;
    const photos = this.attachments.filter((a) => a.kind === 'image');
    const others = this.attachments.filter((a) => a.kind !== 'image');
    return html`${
        photos.length > 0
          ? html`<div class="photos">${photos.map((p) => this.photo(p))}</div>`
          : nothing
      }
      ${others.map((a) => (a.kind === 'voice' ? this.voice(a) : this.file(a)))}
      <dialog
        aria-label=${this.viewing ? `Photo ${this.viewing.name}` : 'Photo'}
        @close=${this.onClosed}
      >
        ${
          this.viewing
            ? html`<div class="bar">
                  <span>${this.viewing.name}</span>
                  <span>
                    <a
                      href=${attachmentPath(this.conversationId, this.viewing.id)}
                      download=${this.viewing.name}
                      >Download</a
                    >
                    <button type="button" @click=${this.close}>Close</button>
                  </span>
                </div>
                <img
                  src=${attachmentPath(this.conversationId, this.viewing.id)}
                  alt=${`Photo ${this.viewing.name}, full size`}
                  width=${this.viewing.width ?? nothing}
                  height=${this.viewing.height ?? nothing}
                />`
            : nothing
        }
      </dialog>`;
  }

  private photo(ref: AttachmentRef) {
    const { w, h } = thumbSize(ref);
    return html`<button
      type="button"
      class="photo"
      aria-label=${`Open photo ${ref.name}`}
      @click=${() => this.open(ref)}
    >
      <img
        src=${attachmentPath(this.conversationId, ref.id, true)}
        alt=${`Photo ${ref.name}`}
        width=${w}
        height=${h}
        style=${`aspect-ratio: ${w} / ${h}; width: ${w}px`}
        loading="lazy"
        decoding="async"
      />
    </button>`;
  }

  private file(ref: AttachmentRef) {
    return html`<a
      class="file"
      href=${attachmentPath(this.conversationId, ref.id)}
      download=${ref.name}
      aria-label=${`Download ${ref.name}, ${formatBytes(ref.size)}`}
    >
      <span aria-hidden="true">📄</span>
      <span class="name">${ref.name}</span>
      <span class="muted">${formatBytes(ref.size)}</span>
    </a>`;
  }

  private voice(ref: AttachmentRef) {
    const duration = formatDuration(ref.durationMs ?? 0);
    return html`<div class="voice" role="group" aria-label=${`Voice note, ${duration}`}>
      <audio
        controls
        preload="metadata"
        src=${attachmentPath(this.conversationId, ref.id)}
        aria-label=${`Play voice note, ${duration}`}
      ></audio>
      <span class="muted">${duration}</span>
    </div>`;
  }

  private async open(ref: AttachmentRef): Promise<void> {
    this.viewing = ref;
    await this.updateComplete;
    if (this.dialog && !this.dialog.open) this.dialog.showModal();
  }

  private readonly close = (): void => {
    this.dialog?.close();
  };

  private readonly onClosed = (): void => {
    this.viewing = null;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-attachments': MessageAttachments;
  }
}
