/**
 * `<parley-reaction-picker>`: react to one message — the six common emoji, and "More
 * emoji" for the full list (loaded on demand, searchable by name). Choosing one
 * dispatches `reaction-toggle` and `popup-close`; Escape or a click elsewhere closes it.
 * Emoji you have already used on the message are pressed (choosing them takes yours back).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { sharedStyles } from '../styles/shared-styles';
import type { EmojiGroup } from './emoji-catalog';
import { PopupCloseEvent, ReactionToggleEvent } from './events';

/** The quick row: [emoji, name]. */
export const QUICK_REACTIONS: readonly (readonly [string, string])[] = [
  ['👍', 'thumbs up'],
  ['❤️', 'red heart'],
  ['😂', 'face with tears of joy'],
  ['😮', 'face with open mouth'],
  ['😢', 'crying face'],
  ['🙏', 'folded hands'],
];

@customElement('parley-reaction-picker')
export class ReactionPicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: absolute;
        z-index: 30;
        bottom: calc(100% + 0.3rem);
        display: block;
      }
      :host([below]) {
        bottom: auto;
        top: calc(100% + 0.3rem);
      }
      :host([align='end']) {
        right: 0;
      }
      :host([align='start']) {
        left: 0;
      }
      .panel {
        padding: 0.35rem;
        background: var(--menu-bg);
        border-radius: 1.2rem;
        box-shadow: var(--shadow);
        width: max-content;
        max-width: min(22rem, 80vw);
      }
      .quick {
        display: flex;
        gap: 0.15rem;
        align-items: center;
      }
      button.emoji {
        font-size: 1.35rem;
        line-height: 1;
        padding: 0.3rem;
        border-radius: 50%;
        background: transparent;
        border-color: transparent;
      }
      button.emoji[aria-pressed='true'] {
        background: var(--glass-hover);
        border-color: var(--accent);
      }
      .more {
        border-radius: 999px;
        padding: 0.3rem 0.6rem;
        font-size: 0.8rem;
      }
      .full {
        margin-top: 0.35rem;
        max-height: var(--room, 16rem);
        overflow-y: auto;
        text-align: left;
      }
      .full h3 {
        margin: 0.5rem 0.2rem 0.2rem;
        font-size: 0.75rem;
        color: var(--muted);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(2.3rem, 1fr));
      }
    `,
  ];

  @property({ attribute: false }) messageId = '';
  /** The emoji you already used on this message. */
  @property({ attribute: false }) mine: readonly string[] = [];
  @property({ reflect: true }) align: 'start' | 'end' = 'start';
  /** Open below the message (it is near the top of the log). */
  @property({ type: Boolean, reflect: true }) below = false;
  /** Pixels available on the side it opens to: the full list scrolls within them. */
  @property({ attribute: false }) room = 400;
  @state() private groups: readonly EmojiGroup[] | null = null;
  @state() private loading = false;
  @state() private filter = '';

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.onOutside, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button.emoji')?.focus();
  }

  override render() {
    return html`<div
      class="panel glass"
      role="dialog"
      aria-label="React to this message"
      @keydown=${this.onKeydown}
    >
      <div class="quick">
        ${QUICK_REACTIONS.map(([e, name]) => this.renderEmoji(e, `React with ${e}`, name))}
        <button
          class="more"
          type="button"
          aria-expanded=${this.groups ? 'true' : 'false'}
          ?disabled=${this.loading}
          @click=${this.showAll}
        >
          ${this.loading ? 'Loading…' : 'More emoji'}
        </button>
      </div>
      ${this.groups ? this.renderFull(this.groups) : null}
    </div>`;
  }

  private renderEmoji(emoji: string, label: string, title: string) {
    return html`<button
      class="emoji"
      type="button"
      aria-label=${label}
      title=${title}
      aria-pressed=${this.mine.includes(emoji) ? 'true' : 'false'}
      @click=${() => this.choose(emoji)}
    >
      ${emoji}
    </button>`;
  }

  private renderFull(groups: readonly EmojiGroup[]) {
    const q = this.filter.trim().toLowerCase();
    // The quick row takes about 3.5rem; the list gets the rest of the room, 6rem to 16rem.
    const height = Math.max(96, Math.min(256, this.room - 56));
    return html`<div class="full" style=${styleMap({ '--room': `${height}px` })}>
      <input
        type="search"
        aria-label="Search emoji"
        placeholder="Search emoji"
        @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
      />
      ${groups.map((g) => {
        const shown = q ? g.emoji.filter(([, name]) => name.includes(q)) : g.emoji;
        if (shown.length === 0) return null;
        return html`<section aria-label=${g.name}>
          <h3 aria-hidden="true">${g.name}</h3>
          <div class="grid">
            ${shown.map(([e, name]) => this.renderEmoji(e, `${e} ${name}`, name))}
          </div>
        </section>`;
      })}
    </div>`;
  }

  private readonly showAll = async (): Promise<void> => {
    if (this.groups) return;
    this.loading = true;
    try {
      this.groups = (await import('./emoji-catalog')).EMOJI_GROUPS;
    } finally {
      this.loading = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  };

  private choose(emoji: string): void {
    this.dispatchEvent(new ReactionToggleEvent(this.messageId, emoji));
    this.dispatchEvent(new PopupCloseEvent());
  }

  private readonly onOutside = (e: PointerEvent): void => {
    if (!e.composedPath().includes(this)) this.dispatchEvent(new PopupCloseEvent());
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.dispatchEvent(new PopupCloseEvent());
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-reaction-picker': ReactionPicker;
  }
}
