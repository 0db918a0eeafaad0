/** Styles of the settings page's forms: labelled fields with their errors and hints. */
import { css } from 'lit';

export const settingsFormStyles = css`
  :host {
    display: block;
  }
  h2 {
    margin: 0 0 0.6rem;
    font-size: 1.05rem;
  }
  h3 {
    margin: 1rem 0 0.5rem;
    font-size: 0.98rem;
  }
  form {
    display: grid;
    gap: 0.7rem;
    max-width: 26rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    display: grid;
    gap: 0.3rem;
  }
  input {
    min-height: 2.75rem;
  }
  button,
  .button {
    min-height: 2.75rem;
  }
  .error {
    margin: 0;
    color: var(--danger);
    font-size: 0.88rem;
  }
  .alert {
    margin: 0;
    padding: 0.5rem 0.7rem;
    border-radius: var(--radius-small);
    background: var(--danger-bg);
    color: var(--danger);
  }
  .done {
    margin: 0;
    padding: 0.5rem 0.7rem;
    border-radius: var(--radius-small);
    background: var(--glass-strong);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  a.button {
    display: inline-flex;
    align-items: center;
    padding: 0.5rem 0.9rem;
    border: 1px solid var(--border);
    border-radius: var(--radius-small);
    background: var(--glass-strong);
    color: inherit;
    text-decoration: none;
  }
  a.button:hover {
    background: var(--glass-hover);
  }
  button.danger {
    background: var(--danger);
    border-color: transparent;
    color: #fff;
    font-weight: 600;
  }
`;
