/**
 * `<parley-confirm-dialog>`: a modal question with a confirm and a "Cancel" button, on
 * the native `<dialog>` (focus trap, Escape, the dialog role). `ask()` resolves true
 * when confirmed.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared-styles';

export interface ConfirmOptions {
  title: string;
  body: string;
  /** The confirm button's text, e.g. "Delete". */
  confirm: string;
  /** The other button's text; "Cancel" by default. */
  cancel?: string;
}

@customElement('parley-confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        max-width: min(24rem, calc(100vw - 2rem));
        padding: 1.2rem 1.3rem 1rem;
        color: var(--text);
        background: var(--menu-bg);
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.45);
      }
      h2 {
        margin: 0 0 0.4rem;
        font-size: 1.05rem;
      }
      p {
        margin: 0 0 1rem;
        color: var(--muted);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 0.5rem;
      }
      .danger {
        background: var(--danger);
        border-color: transparent;
        color: var(--on-danger);
        font-weight: 600;
      }
    `,
  ];

  @state() private options: ConfirmOptions = { title: '', body: '', confirm: 'OK' };
  @query('dialog') private dialog!: HTMLDialogElement | null;
  private resolve: ((ok: boolean) => void) | null = null;

  /** Show the question; resolves true for the confirm button, false for Cancel or Escape. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.resolve?.(false);
    this.options = options;
    await this.updateComplete;
    this.dialog?.showModal();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  override render() {
    const o = this.options;
    return html`<dialog
      class="glass"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      @close=${this.onClose}
    >
      <form method="dialog">
        <h2 id="confirm-title">${o.title}</h2>
        <p id="confirm-body">${o.body}</p>
        <div class="actions">
          <button type="submit" value="cancel" autofocus>${o.cancel ?? 'Cancel'}</button>
          <button type="submit" value="confirm" class="danger">${o.confirm}</button>
        </div>
      </form>
    </dialog>`;
  }

  private readonly onClose = (): void => {
    const ok = this.dialog?.returnValue === 'confirm';
    if (this.dialog) this.dialog.returnValue = '';
    this.resolve?.(ok);
    this.resolve = null;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-confirm-dialog': ConfirmDialog;
  }
}
