/**
 * `<parley-storage-alert>`: says so, loudly, when this device ran out of space for
 * Parley's data, instead of letting writes fail silently.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { StoreController } from '../controllers/store-controller';
import type { StorageHealth } from '../data/storage-health';
import { sharedStyles } from '../styles/shared-styles';

@customElement('parley-storage-alert')
export class StorageAlert extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        inset: max(0.75rem, env(safe-area-inset-top)) 0 auto 0;
        display: flex;
        justify-content: center;
        pointer-events: none;
        z-index: 30;
      }
      div {
        pointer-events: auto;
        max-width: 36rem;
        margin: 0 1rem;
        display: flex;
        align-items: center;
        gap: 0.9rem;
        padding: 0.7rem 0.7rem 0.7rem 1.1rem;
        border-radius: var(--radius);
        color: var(--text);
        /* The tint over an opaque surface: it floats over the messages. */
        background: linear-gradient(var(--danger-bg), var(--danger-bg)), var(--menu-bg);
        border: 1px solid var(--danger);
        box-shadow: var(--shadow);
      }
    `,
  ];

  @property({ attribute: false }) health: StorageHealth | null = null;

  private readonly state = new StoreController(this, () => this.health);

  override render() {
    if (!this.state.value?.full) return nothing;
    return html`<div role="alert">
      <span>
        This device is out of storage space, so Parley can't save new messages on it. Messages you
        send still reach the server while you are online — free up some space before going offline.
      </span>
      <button type="button" @click=${this.onDismiss}>OK</button>
    </div>`;
  }

  private readonly onDismiss = (): void => this.health?.dismiss();
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-storage-alert': StorageAlert;
  }
}
