/**
 * `<parley-avatar>`: a person's profile photo in a circle, or their initials on their own
 * colour when they have none (or while it loads, or if it fails to). Decorative: the name
 * next to it says who it is, so it is hidden from screen readers unless given a `label`.
 * Its size comes from the page (the `.avatar` class of `sharedStyles`, or width/height).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { photoUrl, type PhotoSize } from '../../shared/profile';
import { avatarBackground, initials } from '../styles/shared-styles';

@customElement('parley-avatar')
export class Avatar extends LitElement {
  static override styles = css`
    :host {
      display: inline-grid;
      place-items: center;
      flex: none;
      border-radius: 50%;
      color: #fff;
      font-weight: 700;
      background: var(--avatar-bg, linear-gradient(135deg, #5b6cf2, #14b8a6));
    }
    img {
      grid-area: 1 / 1;
      width: 100%;
      height: 100%;
      object-fit: cover;
      border-radius: 50%;
    }
    span {
      grid-area: 1 / 1;
    }
  `;

  /** The person's id (their colour, and their photo's URL). */
  @property({ attribute: 'user-id' }) userId = '';
  @property() name = '';
  /** The photo's version, or null / '' for initials. */
  @property() photo: string | null | undefined = null;
  /** Which stored square to load: `small` (96 px) for lists, `large` (256 px) for big ones. */
  @property() size: PhotoSize = 'small';
  /** A preview (an object URL) shown instead of the stored photo. */
  @property() preview: string | null = null;
  /** The accessible name when the avatar stands alone (otherwise it is decorative). */
  @property() label = '';
  @state() private failed = '';

  override willUpdate(): void {
    this.style.setProperty('--avatar-bg', avatarBackground(this.userId || this.name));
    if (this.label) {
      this.setAttribute('role', 'img');
      this.setAttribute('aria-label', this.label);
      this.removeAttribute('aria-hidden');
    } else {
      this.removeAttribute('role');
      this.removeAttribute('aria-label');
      this.setAttribute('aria-hidden', 'true');
    }
  }

  private get src(): string | null {
    if (this.preview) return this.preview;
    if (!this.photo || !this.userId) return null;
    const url = photoUrl(this.userId, this.photo, this.size);
    return url === this.failed ? null : url;
  }

  override render() {
    const src = this.src;
    return html`<span>${initials(this.name)}</span>${
        src
          ? html`<img
              src=${src}
              alt=""
              data-photo=${this.photo ?? nothing}
              decoding="async"
              @error=${() => (this.failed = src)}
            />`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-avatar': Avatar;
  }
}
