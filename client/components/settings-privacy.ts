/**
 * `<parley-settings-privacy>`: the "Privacy" section of the settings page — read receipts,
 * who sees your last seen and online status, typing indicators, being found by your
 * e-mail address. Each change is saved at once through `account.privacy` (the server
 * enforces them); every setting says what it also costs you (they are reciprocal).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LastSeenAudience, PrivacySettings } from '../../shared/api';
import type { AppServices, UserServices } from '../app-services';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';

const AUDIENCES: { value: LastSeenAudience; label: string }[] = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'contacts', label: 'My contacts' },
  { value: 'nobody', label: 'Nobody' },
];

@customElement('parley-settings-privacy')
export class SettingsPrivacy extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      h2 {
        margin: 0 0 0.6rem;
        font-size: 1.05rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 0.6rem;
      }
      legend {
        padding: 0;
        font-weight: 600;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.75rem;
      }
      input {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        margin: 0;
      }
      .hint {
        margin: -0.3rem 0 0.6rem 1.75rem;
        font-size: 0.85rem;
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;

  /** The settings' service (its module loads with the page), then its state. */
  private readonly service = new StoreController(this, () => this.account?.privacy ?? null);
  private readonly store = new StoreController(this, () => this.service.value);

  /** Load the settings whenever the section is shown for an account (they may have changed elsewhere). */
  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('account') && this.account)
      this.account.privacy.load().then(
        (privacy) => privacy.refresh(),
        (e: unknown) => console.warn('Could not load the privacy settings', e),
      );
  }

  override render() {
    const state = this.store.value;
    const s = state?.settings ?? null;
    return html`<section aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      ${state?.error ? html`<p role="alert">${state.error}</p>` : null}
      ${s ? this.renderSettings(s, state?.saving ?? false) : html`<p>Loading…</p>`}
      <p class="hint" aria-live="polite">${state?.saved ? 'Saved.' : ''}</p>
    </section>`;
  }

  private renderSettings(s: PrivacySettings, saving: boolean) {
    return html`
      <label
        ><input
          type="checkbox"
          .checked=${s.readReceipts}
          ?disabled=${saving}
          aria-describedby="receipts-hint"
          @change=${(e: Event) => this.save({ readReceipts: this.checked(e) })}
        />Read receipts</label
      >
      <p class="hint" id="receipts-hint">
        Off: nobody sees when you read their messages, and you do not see when they read yours.
        “Delivered” still shows.
      </p>
      <fieldset ?disabled=${saving} aria-describedby="last-seen-hint">
        <legend>Who sees when I am online and my last seen</legend>
        ${AUDIENCES.map(
          (a) =>
            html`<label
              ><input
                type="radio"
                name="last-seen"
                value=${a.value}
                .checked=${s.lastSeen === a.value}
                @change=${() => this.save({ lastSeen: a.value })}
              />${a.label}</label
            >`,
        )}
      </fieldset>
      <p class="hint" id="last-seen-hint">
        You see other people’s online status and last seen only if they can see yours.
      </p>
      <label
        ><input
          type="checkbox"
          .checked=${s.typing}
          ?disabled=${saving}
          aria-describedby="typing-hint"
          @change=${(e: Event) => this.save({ typing: this.checked(e) })}
        />Typing indicators</label
      >
      <p class="hint" id="typing-hint">
        Off: others do not see when you are typing, and you do not see when they are.
      </p>
      <label
        ><input
          type="checkbox"
          .checked=${s.discoverableByEmail}
          ?disabled=${saving}
          aria-describedby="email-hint"
          @change=${(e: Event) => this.save({ discoverableByEmail: this.checked(e) })}
        />Let people find me by my e-mail address</label
      >
      <p class="hint" id="email-hint">
        Only someone who types your whole address finds you. People can still find you by your name.
      </p>
    `;
  }

  private checked(e: Event): boolean {
    return (e.target as HTMLInputElement).checked;
  }

  private save(change: Partial<PrivacySettings>): void {
    void this.account?.privacy.instance?.save(change);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-privacy': SettingsPrivacy;
  }
}
