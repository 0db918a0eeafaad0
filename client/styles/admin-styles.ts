/** Rows, tables and notices the admin page's sections share. */
import { css } from 'lit';

export const adminStyles = css`
  .top {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1rem;
  }
  .page {
    display: grid;
    gap: 1rem;
    padding: 1rem 1.25rem;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.6rem;
  }
  section {
    padding: 1rem;
  }
  label.choice {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  input[type='radio'] {
    width: auto;
    margin: 0;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  form.row,
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.6rem;
  }
  label.stack {
    display: grid;
    gap: 0.25rem;
    font-size: 0.88rem;
  }
  input[type='number'] {
    width: 6rem;
  }
  input.link {
    width: 100%;
    font-family: monospace;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.35rem 0.4rem;
    border-bottom: 1px solid var(--border);
  }
  .alert {
    padding: 0.5rem 0.7rem;
    border-radius: var(--radius-small);
    background: var(--danger-bg);
    color: var(--danger);
  }
  .notice {
    padding: 0.5rem 0.7rem;
    border-radius: var(--radius-small);
    background: var(--glass-strong);
    display: grid;
    gap: 0.4rem;
  }
`;
