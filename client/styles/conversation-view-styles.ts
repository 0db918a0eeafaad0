/**
 * Styles of `<parley-conversation-view>`: its header, the message-request banner, the
 * outbox line and the composer's place.
 */
import { css } from 'lit';

export const conversationViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
  }
  .view {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-height: 0;
    overflow: hidden;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.7rem;
    padding: 0.7rem 1rem;
    border-bottom: 1px solid var(--border);
  }
  h1 {
    margin: 0;
    font-size: 1.05rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .who {
    min-width: 0;
    display: grid;
  }
  .presence {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.78rem;
    color: var(--muted);
  }
  .presence .dot {
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--muted);
    opacity: 0.6;
  }
  .presence.typing {
    color: var(--accent);
    font-style: italic;
  }
  .presence.online {
    color: var(--ok);
  }
  .presence.online .dot {
    background: var(--ok);
    opacity: 1;
  }
  .who {
    flex: 1;
  }
  .back {
    display: none;
  }
  @media (max-width: 799px) {
    .back {
      display: inline-flex;
    }
  }
  parley-message-list {
    flex: 1;
  }
  .typing {
    min-height: 1.4rem;
    padding: 0 1.4rem;
    font-size: 0.8rem;
    color: var(--muted);
    font-style: italic;
  }
  parley-message-composer {
    padding: 0 1rem 1rem;
  }
  .banner {
    margin: 0.75rem 1rem 0;
    padding: 0.6rem 0.8rem;
    border-radius: var(--radius-small);
    background: var(--danger-bg);
    color: var(--danger);
    font-size: 0.9rem;
  }
  .request {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem 1rem;
    margin: 0.75rem 1rem 0;
    padding: 0.7rem 0.9rem;
    border-radius: var(--radius-small);
    background: var(--glass-strong);
    border: 1px solid var(--border);
    font-size: 0.9rem;
  }
  .request p {
    flex: 1 1 16rem;
    margin: 0;
  }
  .request .actions {
    display: flex;
    gap: 0.5rem;
  }
  .newer {
    margin: 0.5rem 1rem 0;
    font-size: 0.85rem;
    color: var(--muted);
  }
  .center {
    margin: auto;
    padding: 2rem;
    color: var(--muted);
    text-align: center;
  }
`;
