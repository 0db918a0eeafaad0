/**
 * Styles of `<parley-app-shell>`: the list beside the open page (one at a time on a
 * phone), the navigation links, the not-found page.
 */
import { css } from 'lit';

export const appShellStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    flex: 1 1 0;
    height: 100dvh;
    min-height: 0;
  }
  .boot {
    margin: auto;
    color: var(--muted);
  }
  .layout {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: minmax(18rem, 22rem) 1fr;
    gap: 1rem;
    padding: 1rem;
  }
  .side {
    min-height: 0;
    display: flex;
    flex-direction: column;
    gap: 1rem;
    padding: 1rem 0.8rem;
    overflow-y: auto;
  }
  .detail {
    min-height: 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  .placeholder {
    margin: auto;
    max-width: 22rem;
    text-align: center;
    color: var(--muted);
  }
  .nav {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .nav a {
    min-height: 2.75rem;
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.35rem 0.7rem;
    border-radius: var(--radius-small);
    border: 1px solid var(--border);
    background: var(--glass-strong);
    color: inherit;
    text-decoration: none;
    font-size: 0.88rem;
  }
  .nav a[aria-current='page'] {
    background: var(--glass-hover);
  }
  .count {
    min-width: 1.2rem;
    padding: 0 0.35rem;
    border-radius: 999px;
    background: var(--accent-strong);
    color: var(--on-accent);
    font-size: 0.72rem;
    font-weight: 700;
    text-align: center;
  }
  .floating {
    grid-column: 1 / -1;
  }
  main.admin {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .not-found {
    margin: auto;
    max-width: 26rem;
    padding: 1.5rem 1.8rem;
    text-align: center;
  }
  .not-found h1 {
    margin: 0 0 0.5rem;
    font-size: 1.3rem;
  }
  .not-found a {
    display: inline-flex;
    align-items: center;
    min-height: 2.75rem;
    font-weight: 600;
  }
  .alert {
    margin: 0;
    padding: 0.5rem 0.7rem;
    border-radius: var(--radius-small);
    background: var(--danger-bg);
    color: var(--danger);
    font-size: 0.88rem;
  }
  /* Narrow screens: the list or the conversation, one at a time. */
  @media (max-width: 799px) {
    .layout {
      grid-template-columns: 1fr;
      padding: 0.5rem;
    }
    .layout.has-conversation .side,
    .layout:not(.has-conversation) .detail {
      display: none;
    }
    /* One compact header: a page with its own (Back, title) hides the app's. */
    parley-app-header.behind {
      display: none;
    }
  }
`;
