/**
 * `<parley-settings-devices>`: every device signed in as you — its browser and system,
 * the address hint it signed in from, when it was last active — with this device marked,
 * "Sign out" for each other one and "Sign out everywhere else".
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeviceSession } from '../../shared/api';
import type { AccountSecurity } from '../data/devices';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import { settingsFormStyles } from '../styles/settings-form-styles';
import { lastSeenText } from './format';

const signedInFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "Active just now", "Active 5 minutes ago", "Active today at 14:02" … */
const activeText = (d: DeviceSession, now: number): string =>
  `Active ${lastSeenText(d.lastActive ?? d.created, now).replace(/^last seen /, '')}`;

@customElement('parley-settings-devices')
export class SettingsDevices extends LitElement {
  static override styles = [
    sharedStyles,
    settingsFormStyles,
    css`
      ul {
        list-style: none;
        margin: 0 0 0.8rem;
        padding: 0;
        display: grid;
        gap: 0.5rem;
        max-width: 36rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.8rem;
        padding: 0.6rem 0.8rem;
        border: 1px solid var(--border);
        border-radius: var(--radius-small);
      }
      .what {
        flex: 1;
        min-width: 0;
      }
      .name {
        font-weight: 600;
      }
      .badge {
        margin-left: 0.4rem;
        padding: 0.05rem 0.45rem;
        border-radius: 999px;
        background: var(--glass-strong);
        border: 1px solid var(--border);
        font-size: 0.8rem;
        font-weight: 600;
      }
      .details {
        margin: 0.15rem 0 0;
        font-size: 0.88rem;
      }
    `,
  ];

  @property({ attribute: false }) security: AccountSecurity | null = null;
  private readonly state = new StoreController(this, () => this.security);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.security?.refresh();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('security') && changed.get('security') !== undefined && this.isConnected)
      void this.security?.refresh();
  }

  override render() {
    const s = this.state.value;
    const devices = s?.devices ?? null;
    const others = devices?.filter((d) => !d.current) ?? [];
    const now = Date.now();
    return html`<h3 id="devices-title">Devices</h3>
      ${s?.error ? html`<p class="alert" role="alert">${s.error}</p>` : nothing}
      ${
        devices === null
          ? html`<p class="muted">${s?.loading ? 'Loading devices…' : ''}</p>`
          : html`<ul aria-labelledby="devices-title">
              ${devices.map((d) => this.renderDevice(d, now))}
            </ul>`
      }
      ${
        others.length > 0
          ? html`<button type="button" @click=${this.onSignOutOthers}>
              Sign out everywhere else
            </button>`
          : nothing
      }`;
  }

  private renderDevice(d: DeviceSession, now: number) {
    const label = `${d.browser} on ${d.platform}`;
    const nameId = `device-${d.id}`;
    const details = [
      d.address,
      activeText(d, now),
      `signed in ${signedInFormat.format(d.created)}`,
    ].filter(Boolean);
    return html`<li>
      <div class="what">
        <span class="name" id=${nameId}>${label}</span>${
          d.current ? html`<span class="badge">This device</span>` : nothing
        }
        <p class="details muted">${details.join(' · ')}</p>
      </div>
      ${
        d.current
          ? nothing
          : html`<button
              type="button"
              aria-describedby=${nameId}
              @click=${() => void this.security?.signOutDevice(d.id)}
            >
              Sign out
            </button>`
      }
    </li>`;
  }

  private readonly onSignOutOthers = (): void => {
    void this.security?.signOutOthers();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-devices': SettingsDevices;
  }
}
