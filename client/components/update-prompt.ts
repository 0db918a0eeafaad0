/**
 * `<parley-update-prompt>`: "A new version is available — Reload", shown while a new
 * service worker waits. Reload activates it and reloads the page (drafts are kept). It sits
 * above the app and pushes it down: nothing of the app is hidden under it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { StoreController } from '../controllers/store-controller';
import type { ServiceWorkerUpdates } from '../pwa/register-service-worker';
import { sharedStyles } from '../styles/shared-styles';

@customElement('parley-update-prompt')
export class UpdatePrompt extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      /* A bar above the app (first in the page's column, see theme.css): it pushes the
         app down rather than floating over it, so it never covers the composer or a
         header on a phone. */
      :host {
        order: -1;
        flex: none;
        display: flex;
        justify-content: center;
        padding: max(0.5rem, env(safe-area-inset-top)) 0.5rem 0;
      }
      :host(:not([shown])) {
        display: none;
      }
      div {
        pointer-events: auto;
        display: flex;
        align-items: center;
        gap: 0.9rem;
        padding: 0.6rem 0.6rem 0.6rem 1.1rem;
        border-radius: var(--radius);
        background: var(--menu-bg);
        border: 1px solid var(--border);
        box-shadow: var(--shadow);
      }
      button {
        padding: 0.45rem 1rem;
        border-radius: 1.2rem;
      }
    `,
  ];

  @property({ attribute: false }) updates: ServiceWorkerUpdates | null = null;

  private readonly state = new StoreController(this, () => this.updates);

  override render() {
    const s = this.state.value;
    this.toggleAttribute('shown', s?.available ?? false);
    if (!s?.available) return nothing;
    return html`<div role="region" aria-label="Update" aria-live="polite">
      <span>A new version is available</span>
      <button class="primary" type="button" ?disabled=${s.applying} @click=${this.onReload}>
        Reload
      </button>
    </div>`;
  }

  private readonly onReload = (): void => this.updates?.applyUpdate();
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-update-prompt': UpdatePrompt;
  }
}
