/** The card, form and notice styles the sign-in, sign-up and recovery pages share. */
import { css } from 'lit';

export const authStyles = css`
  :host {
    display: grid;
    place-items: center;
    min-height: 100%;
    padding: 1.5rem;
  }
  .card {
    width: min(26rem, 100%);
    padding: 2rem;
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    margin-bottom: 1.25rem;
  }
  .logo {
    width: 2.2rem;
    height: 2.2rem;
    border-radius: 0.8rem;
    background: linear-gradient(135deg, var(--accent-strong), #14b8a6);
    box-shadow: 0 6px 18px rgba(91, 114, 242, 0.45);
  }
  h1 {
    margin: 0;
    font-size: 1.5rem;
    letter-spacing: -0.01em;
  }
  h2 {
    margin: 0 0 1.25rem;
    font-size: 1.05rem;
    font-weight: 500;
    color: var(--muted);
  }
  form {
    display: grid;
    gap: 0.9rem;
  }
  label {
    display: grid;
    gap: 0.3rem;
    font-size: 0.9rem;
    font-weight: 500;
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  .hint {
    font-size: 0.8rem;
  }
  .hint.counted {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .field-error {
    font-size: 0.85rem;
    color: var(--danger);
    font-weight: 500;
  }
  input[aria-invalid='true'] {
    border-color: var(--danger);
  }
  button[type='submit'] {
    margin-top: 0.4rem;
    padding: 0.7rem;
  }
  .alert {
    border-radius: var(--radius-small);
    padding: 0.6rem 0.8rem;
    background: var(--danger-bg);
    color: var(--danger);
    font-size: 0.9rem;
  }
  .notice {
    border-radius: var(--radius-small);
    padding: 0.6rem 0.8rem;
    background: var(--glass-strong);
    font-size: 0.9rem;
  }
  .forgot {
    justify-self: center;
    font-size: 0.9rem;
  }
  .switch {
    margin: 1.25rem 0 0;
    text-align: center;
    font-size: 0.9rem;
  }
`;
