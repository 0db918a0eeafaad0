/**
 * `<parley-menu-button>`: a button (named by `label`) that opens a small menu of
 * actions. Arrow keys move between items, Escape closes and returns focus to the
 * button, a click elsewhere closes. Choosing an item dispatches `menu-select`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { sharedStyles } from '../styles/shared-styles';
import { MenuSelectEvent } from './events';

export interface MenuItem {
  /** What the item says (its accessible name). */
  label: string;
  /** Passed back in `menu-select`. */
  value: string;
  /** Shown in the danger colour. */
  danger?: boolean;
}

@customElement('parley-menu-button')
export class MenuButton extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      .trigger {
        display: inline-grid;
        place-items: center;
        width: 2rem;
        height: 2rem;
        padding: 0;
        border-radius: 50%;
        font-size: 1.1rem;
        line-height: 1;
      }
      [role='menu'] {
        position: absolute;
        z-index: 20;
        top: calc(100% + 0.25rem);
        right: 0;
        min-width: 12rem;
        display: grid;
        padding: 0.3rem;
        background: var(--menu-bg);
      }
      :host([align='start']) [role='menu'] {
        right: auto;
        left: 0;
      }
      :host([up]) [role='menu'] {
        top: auto;
        bottom: calc(100% + 0.25rem);
      }
      [role='menuitem'] {
        text-align: left;
        border-color: transparent;
        background: transparent;
        white-space: nowrap;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus-visible {
        background: var(--glass-hover);
      }
      .danger {
        color: var(--danger);
      }
      .note {
        margin: 0.3rem 0.6rem 0.2rem;
        max-width: 14rem;
        font-size: 0.75rem;
        color: var(--muted);
        white-space: normal;
      }
    `,
  ];

  /** The button's accessible name, e.g. "Message options". */
  @property() label = 'Options';
  @property({ attribute: false }) items: readonly MenuItem[] = [];
  /** A line of explanation under the items (e.g. why some actions are missing). */
  @property({ attribute: false }) note = '';
  @state() private open = false;
  @query('.trigger') private trigger!: HTMLButtonElement | null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  override render() {
    return html`<button
        class="trigger ghost"
        type="button"
        aria-label=${this.label}
        title=${this.label}
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        @click=${this.toggle}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      ${
        this.open
          ? html`<div
              role="menu"
              class="glass"
              aria-label=${this.label}
              aria-description=${this.note || nothing}
              @keydown=${this.onKeydown}
            >
              ${repeat(
                this.items,
                (i) => i.value,
                (i) =>
                  html`<button
                    role="menuitem"
                    type="button"
                    tabindex="-1"
                    class=${i.danger ? 'danger' : ''}
                    @click=${() => this.choose(i.value)}
                  >
                    ${i.label}
                  </button>`,
              )}
              ${this.note ? html`<p class="note" aria-hidden="true">${this.note}</p>` : null}
            </div>`
          : null
      }`;
  }

  /** Open the menu and focus its first item, as activating the button does. */
  async show(): Promise<void> {
    if (!this.open) await this.toggle();
  }

  private readonly toggle = async (): Promise<void> => {
    this.open = !this.open;
    if (!this.open) {
      document.removeEventListener('pointerdown', this.onOutside, true);
      return;
    }
    document.addEventListener('pointerdown', this.onOutside, true);
    await this.updateComplete;
    this.menuItems()[0]?.focus();
  };

  private menuItems(): HTMLButtonElement[] {
    return [...(this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  }

  private close(refocus: boolean): void {
    this.open = false;
    document.removeEventListener('pointerdown', this.onOutside, true);
    if (refocus) this.trigger?.focus();
  }

  private choose(value: string): void {
    this.close(true);
    this.dispatchEvent(new MenuSelectEvent(value));
  }

  private readonly onOutside = (e: PointerEvent): void => {
    if (!e.composedPath().includes(this)) this.close(false);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const items = this.menuItems();
    const at = items.indexOf(this.renderRoot.querySelector(':focus') as HTMLButtonElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      this.close(e.key === 'Escape');
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-menu-button': MenuButton;
  }
}
