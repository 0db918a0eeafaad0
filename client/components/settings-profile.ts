/**
 * `<parley-settings-profile>`: the "Profile" section of the settings page — your photo
 * (chosen from a file, previewed as the centred square the server will crop; removing it
 * brings your initials back), display name and "about" line, each with its limit shown
 * while typing. Changes go through the data layer (`account.profile`); the section never
 * touches the network itself.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { User } from '../../shared/api';
import { MAX_ABOUT_CHARS, MAX_DISPLAY_NAME_CHARS } from '../../shared/profile';
import type { AppServices, UserServices } from '../app-services';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import './avatar';

@customElement('parley-settings-profile')
export class SettingsProfile extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        margin: 0 0 0.6rem;
        font-size: 1.05rem;
      }
      .photo {
        display: flex;
        align-items: center;
        gap: 1rem;
        flex-wrap: wrap;
        margin-bottom: 0.8rem;
      }
      .photo parley-avatar {
        width: 5.5rem;
        height: 5.5rem;
        font-size: 1.8rem;
      }
      .photo .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      button {
        min-height: 2.75rem;
      }
      form {
        display: grid;
        gap: 0.8rem;
        max-width: 32rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .field input {
        min-height: 2.75rem;
      }
      .hint {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        font-size: 0.85rem;
        color: var(--muted);
      }
      .hint .over {
        color: var(--danger, #d33);
        font-weight: 600;
      }
      .status {
        min-height: 1.2rem;
        margin: 0;
      }
      .error {
        color: var(--danger, #d33);
      }
    `,
  ];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;

  /** What is typed; null: not edited yet (the saved value is shown). */
  @state() private name: string | null = null;
  @state() private about: string | null = null;
  @state() private busy = false;
  @state() private status = '';
  @state() private error = '';
  /** The chosen photo, shown while it uploads (an object URL). */
  @state() private preview: string | null = null;
  @query('input[type=file]') private fileInput!: HTMLInputElement;

  private readonly session = new StoreController(this, () => this.services?.session);

  private get user(): User | null {
    const s = this.session.value;
    return s?.status === 'signed-in' ? s.user : (this.account?.user ?? null);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.preview) URL.revokeObjectURL(this.preview);
  }

  override render() {
    const user = this.user;
    if (!user) return html`<h2>Profile</h2>`;
    const name = this.name ?? user.displayName;
    const about = this.about ?? user.about ?? '';
    return html`<section aria-labelledby="settings-profile">
      <h2 id="settings-profile">Profile</h2>
      <div class="photo">
        <parley-avatar
          user-id=${user.id}
          .name=${user.displayName}
          .photo=${user.avatar ?? null}
          .preview=${this.preview}
          size="large"
          label=${user.avatar || this.preview ? 'Your profile photo' : 'Your initials (no photo)'}
        ></parley-avatar>
        <div class="actions">
          <input
            class="visually-hidden"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            tabindex="-1"
            aria-hidden="true"
            @change=${this.onFile}
          />
          <button type="button" ?disabled=${this.busy} @click=${this.onChoose}>
            ${user.avatar ? 'Change photo…' : 'Choose photo…'}
          </button>
          ${
            user.avatar
              ? html`<button
                  type="button"
                  class="ghost"
                  ?disabled=${this.busy}
                  @click=${this.onRemove}
                >
                  Remove photo
                </button>`
              : nothing
          }
        </div>
      </div>
      <form @submit=${this.onSave} novalidate>
        ${this.field('name', 'Display name', name, MAX_DISPLAY_NAME_CHARS, 'name')}
        ${this.field('about', 'About', about, MAX_ABOUT_CHARS, 'off')}
        <div>
          <button type="submit" ?disabled=${this.busy}>Save profile</button>
        </div>
      </form>
      <p class="status" role="status">${this.status}</p>
      <p class="status error" role="alert">${this.error}</p>
    </section>`;
  }

  private field(
    key: 'name' | 'about',
    label: string,
    value: string,
    max: number,
    autocomplete: string,
  ) {
    const id = `profile-${key}`;
    const left = max - value.length;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        dir="auto"
        .value=${value}
        maxlength=${max}
        autocomplete=${autocomplete}
        aria-describedby=${`${id}-count`}
        @input=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          if (key === 'name') this.name = v;
          else this.about = v;
        }}
      />
      <span class="hint" id=${`${id}-count`}
        ><span>Up to ${max} characters</span
        ><span class=${left <= 0 ? 'over' : ''}
          >${value.length} / ${max}<span class="visually-hidden"> used</span></span
        ></span
      >
    </div>`;
  }

  private readonly onChoose = (): void => {
    this.fileInput.value = '';
    this.fileInput.click();
  };

  private readonly onFile = async (): Promise<void> => {
    const file = this.fileInput.files?.[0];
    const profile = this.account?.profile;
    if (!file || !profile) return;
    if (this.preview) URL.revokeObjectURL(this.preview);
    this.preview = URL.createObjectURL(file);
    await this.act('Uploading your photo…', 'Photo saved.', () => profile.setPhoto(file));
    if (this.preview) URL.revokeObjectURL(this.preview);
    this.preview = null;
  };

  private readonly onRemove = async (): Promise<void> => {
    const profile = this.account?.profile;
    if (!profile) return;
    await this.act('Removing your photo…', 'Photo removed: your initials are shown.', () =>
      profile.removePhoto(),
    );
  };

  private readonly onSave = async (e: Event): Promise<void> => {
    e.preventDefault();
    const user = this.user;
    const profile = this.account?.profile;
    if (!user || !profile) return;
    const input = {
      displayName: this.name ?? user.displayName,
      about: this.about ?? user.about ?? '',
    };
    const ok = await this.act('Saving…', 'Profile saved.', () => profile.save(input));
    if (ok) {
      this.name = null;
      this.about = null;
    }
  };

  private async act(
    working: string,
    done: string,
    change: () => Promise<{ ok: boolean; message?: string }>,
  ): Promise<boolean> {
    this.busy = true;
    this.error = '';
    this.status = working;
    const r = await change();
    this.busy = false;
    this.status = r.ok ? done : '';
    this.error = r.ok ? '' : (r.message ?? 'Something went wrong, try again.');
    return r.ok;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-profile': SettingsProfile;
  }
}
