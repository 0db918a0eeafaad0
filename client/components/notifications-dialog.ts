/**
 * `<parley-notifications-dialog>`: turning notifications on for this device (the browser's
 * permission is asked only after the person presses "Turn on notifications", with what it
 * is for said first), the state and how to fix it (blocked, unsupported, iOS needs "Add to
 * Home Screen"), what notifications show, and the switch for every device. It shows the
 * data layer's `PushState` and dispatches `push-action`; it never touches the network.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { NotificationSettings } from '../../shared/api';
import type { PushState } from '../data/push';
import { sharedStyles } from '../styles/shared-styles';
import { PushActionEvent } from './events';

const PREVIEWS: { value: NotificationSettings['preview']; label: string }[] = [
  { value: 'name-and-message', label: 'Name and message' },
  { value: 'name-only', label: 'Name only' },
  { value: 'nothing', label: 'Only “New message”' },
];

@customElement('parley-notifications-dialog')
export class NotificationsDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(26rem, calc(100vw - 2rem));
        padding: 1.2rem 1.3rem 1rem;
        color: var(--text);
        background: var(--menu-bg);
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.45);
      }
      h2 {
        margin: 0 0 0.6rem;
        font-size: 1.1rem;
      }
      p {
        margin: 0 0 0.8rem;
      }
      .muted {
        color: var(--muted);
      }
      fieldset {
        margin: 0 0 0.9rem;
        border: 1px solid var(--border);
        border-radius: 0.6rem;
        padding: 0.5rem 0.8rem 0.7rem;
      }
      legend {
        padding: 0 0.3rem;
        font-weight: 600;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.2rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) state: PushState | null = null;
  /** The in-app sound (this device). */
  @property({ type: Boolean }) sound = false;
  @query('dialog') private dialog!: HTMLDialogElement | null;

  show(): void {
    this.dialog?.showModal();
  }

  override render() {
    const s = this.state;
    return html`<dialog aria-labelledby="notif-title">
      <h2 id="notif-title">Notifications</h2>
      ${s ? this.renderBody(s) : html`<p>Loading…</p>`}
      <div class="actions">
        <button type="button" @click=${() => this.dialog?.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private renderBody(s: PushState) {
    const settings = s.settings;
    return html`
      <p role="status" data-testid="push-state">${this.stateText(s)}</p>
      ${this.renderDeviceAction(s)} ${s.error ? html`<p role="alert">${s.error}</p>` : null}
      ${
        settings
          ? html`<fieldset ?disabled=${s.busy}>
                <legend>Notifications show</legend>
                ${PREVIEWS.map(
                  (p) =>
                    html`<label
                      ><input
                        type="radio"
                        name="preview"
                        .checked=${settings.preview === p.value}
                        @change=${() => this.save({ ...settings, preview: p.value })}
                      />${p.label}</label
                    >`,
                )}
              </fieldset>
              <label
                ><input
                  type="checkbox"
                  .checked=${settings.enabled}
                  ?disabled=${s.busy}
                  @change=${(e: Event) =>
                    this.save({ ...settings, enabled: (e.target as HTMLInputElement).checked })}
                />Notifications on all my devices</label
              >`
          : null
      }
      <label
        ><input
          type="checkbox"
          .checked=${this.sound}
          @change=${(e: Event) =>
            this.dispatchEvent(
              new PushActionEvent({ kind: 'sound', on: (e.target as HTMLInputElement).checked }),
            )}
        />Play a sound for new messages while Parley is open</label
      >
    `;
  }

  private stateText(s: PushState): string {
    switch (s.availability) {
      case 'on':
        return s.settings?.enabled === false
          ? 'This device is set up, but notifications are switched off for all your devices.'
          : 'On for this device. You hear about new messages when Parley is closed or in the background.';
      case 'off':
        return 'Turn on notifications to hear about new messages when Parley is closed or in the background. Your browser will ask for permission.';
      case 'blocked':
        return 'Notifications are blocked for Parley in this browser. Allow them in the site settings (the icon next to the address), then reopen this dialog.';
      case 'needs-install':
        return 'On iPhone and iPad, notifications need Parley on the Home Screen first: tap Share, then “Add to Home Screen”, and open Parley from there.';
      case 'unsupported':
        return 'This browser cannot show notifications from Parley.';
    }
  }

  private renderDeviceAction(s: PushState) {
    if (s.availability === 'off')
      return html`<p>
        <button
          class="primary"
          type="button"
          ?disabled=${s.busy}
          @click=${() => this.act('enable')}
        >
          Turn on notifications
        </button>
      </p>`;
    if (s.availability === 'on')
      return html`<p>
        <button type="button" ?disabled=${s.busy} @click=${() => this.act('disable')}>
          Turn off on this device
        </button>
      </p>`;
    return null;
  }

  private act(action: 'enable' | 'disable'): void {
    this.dispatchEvent(new PushActionEvent({ kind: action }));
  }

  private save(settings: NotificationSettings): void {
    this.dispatchEvent(new PushActionEvent({ kind: 'settings', settings }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-notifications-dialog': NotificationsDialog;
  }
}
