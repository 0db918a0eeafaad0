/** `<parley-attach-button>`: picks photos and files to send; dispatches `attachments-picked`. */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared-styles';
import { AttachmentsPickedEvent } from './attachment-events';

@customElement('parley-attach-button')
export class AttachButton extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-block;
      }
      button {
        height: 2.75rem;
        width: 2.75rem;
        padding: 0;
        border-radius: 50%;
        font-size: 1.2rem;
      }
      input {
        display: none;
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @query('input') private input!: HTMLInputElement | null;

  override render() {
    return html`<button
        type="button"
        aria-label="Attach a photo or file"
        title="Attach a photo or file"
        ?disabled=${this.disabled}
        @click=${() => this.input?.click()}
      >
        <span aria-hidden="true">📎</span></button
      ><input type="file" multiple tabindex="-1" aria-hidden="true" @change=${this.onChange} />`;
  }

  private readonly onChange = (): void => {
    const input = this.input;
    if (!input?.files || input.files.length === 0) return;
    const files = [...input.files];
    input.value = '';
    this.dispatchEvent(new AttachmentsPickedEvent(files));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-attach-button': AttachButton;
  }
}
