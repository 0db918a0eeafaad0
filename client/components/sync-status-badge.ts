/**
 * `<parley-sync-status-badge>`: the connection indicator, a live status region that says
 * "Online", "Connecting…" or that messages are kept on this device while offline.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Connectivity } from '../data/connectivity';

const LABELS: Record<Connectivity, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline — messages are kept on this device',
};

@customElement('parley-sync-status-badge')
export class SyncStatusBadge extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      min-width: 0;
    }
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 0.45rem;
      padding: 0.25rem 0.7rem;
      border-radius: 999px;
      border: 1px solid var(--border);
      background: var(--glass);
      font-size: 0.8rem;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .dot {
      flex: none;
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: var(--muted);
    }
    [data-state='online'] .dot {
      background: var(--ok);
      box-shadow: 0 0 8px var(--ok);
    }
    [data-state='connecting'] .dot {
      background: var(--warn);
      animation: pulse 1.2s ease-in-out infinite;
    }
    [data-state='offline'] .dot {
      background: var(--danger);
    }
    @keyframes pulse {
      50% {
        opacity: 0.35;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [data-state='connecting'] .dot {
        animation: none;
      }
    }
  `;

  @property() state: Connectivity = 'connecting';

  override render() {
    return html`<span class="badge" data-state=${this.state}
      ><span class="dot" aria-hidden="true"></span
      ><span role="status">${LABELS[this.state]}</span></span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-sync-status-badge': SyncStatusBadge;
  }
}
