/**
 * Styles of the message list and its bubbles. The bubbles render into the list's shadow
 * root (no shadow root per message), so one stylesheet covers both.
 */
import { css } from 'lit';

/** The log, day separators, the "New messages" divider and pill, older-history line. */
export const messageListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .log {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* Updates restore the scroll position themselves (see MessageWindow.restore). */
    overflow-anchor: none;
    padding: 1rem clamp(0.75rem, 3vw, 1.75rem);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.3rem;
  }
  .day {
    align-self: center;
    margin: 0.8rem 0 0.4rem;
    padding: 0.15rem 0.7rem;
    border-radius: 999px;
    font-size: 0.75rem;
    color: var(--muted);
    background: var(--glass);
    border: 1px solid var(--border);
  }
  .msg-row {
    display: flex;
    flex-direction: column;
  }
  .unread-divider {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    margin: 0.6rem 0 0.2rem;
    font-size: 0.75rem;
    font-weight: 600;
    color: var(--accent);
  }
  .unread-divider::before,
  .unread-divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid var(--accent);
    opacity: 0.6;
  }
  .pill {
    position: absolute;
    left: 50%;
    bottom: 0.8rem;
    transform: translateX(-50%);
    z-index: 5;
    border-radius: 999px;
    padding: 0.35rem 0.9rem;
    font-size: 0.85rem;
    box-shadow: var(--shadow);
  }
  .wrap {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .older {
    margin: 0.5rem auto;
    text-align: center;
    font-size: 0.85rem;
    color: var(--muted);
  }
  .older .link {
    font: inherit;
    color: var(--accent);
    background: none;
    border: none;
    text-decoration: underline;
    cursor: pointer;
  }
  .empty {
    margin: auto;
    padding: 2rem 1rem;
    text-align: center;
    color: var(--muted);
  }
  /* "Jump to latest": round, bottom right, the unread count under it. */
  .jump {
    position: absolute;
    right: clamp(0.75rem, 3vw, 1.75rem);
    bottom: 1rem;
    z-index: 5;
    display: grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    padding: 0;
    border-radius: 50%;
    background: var(--menu-bg);
    color: var(--text);
    border: 1px solid var(--border);
    box-shadow: var(--shadow);
  }
  .jump.fresh {
    border-color: var(--accent);
  }
  .jump-count {
    position: absolute;
    top: calc(100% - 0.6rem);
    left: 50%;
    transform: translateX(-50%);
    min-width: 1.3rem;
    padding: 0 0.35rem;
    border-radius: 999px;
    font-size: 0.72rem;
    font-weight: 700;
    line-height: 1.3rem;
    background: var(--accent-strong);
    color: var(--on-accent);
  }
  /* Messages of one group sit closer together. */
  .msg-row.grouped {
    margin-top: -0.15rem;
  }
`;

/** One message: the bubble, its options button, text, time and delivery state. */
export const messageBubbleStyles = css`
  parley-message-bubble {
    /* The bubble's .msg is the row's flex item: mine on the right, theirs on the left. */
    display: contents;
  }
  .msg {
    display: flex;
    align-items: center;
    gap: 0.25rem;
    max-width: min(85%, 40rem);
  }
  .msg {
    position: relative;
    /* Horizontal swipes reply (SwipeToReply); vertical ones scroll. */
    touch-action: pan-y;
    border-radius: 1.1rem;
  }
  .msg:focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  .msg.highlight .bubble {
    animation: reveal 1.6s ease-out;
  }
  @keyframes reveal {
    0%,
    40% {
      box-shadow: 0 0 0 3px var(--accent);
    }
  }
  .body {
    display: flex;
    flex-direction: column;
    min-width: 0;
    transition: transform 120ms ease;
  }
  .mine .body {
    align-items: flex-end;
  }
  .theirs .body {
    align-items: flex-start;
  }
  .msg.theirs {
    flex-direction: row-reverse;
  }
  .msg .bubble {
    min-width: 0;
  }
  .quote {
    display: grid;
    width: 100%;
    text-align: left;
    margin: 0.1rem 0 0.3rem;
    padding: 0.25rem 0.55rem;
    border: none;
    border-left: 3px solid var(--accent);
    border-radius: 0.5rem;
    background: var(--glass);
    font-size: 0.8rem;
    color: inherit;
  }
  .quote-author {
    font-weight: 600;
  }
  .quote-line {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    opacity: 0.85;
  }
  .quote-line.gone {
    font-style: italic;
  }
  .unsupported {
    margin: 0.2rem 0 0;
    font-size: 0.8rem;
    font-style: italic;
    opacity: 0.85;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-top: -0.2rem;
    padding: 0 0.4rem;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.2rem;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    font-size: 0.85rem;
    line-height: 1.4;
    background: var(--glass-strong);
  }
  .chip.mine {
    border-color: var(--accent);
  }
  .chip .count {
    font-size: 0.75rem;
    color: var(--muted);
  }
  .chip:disabled {
    opacity: 1;
  }
  parley-menu-button,
  .options {
    flex: none;
    opacity: 0;
    transition: opacity 120ms ease;
  }
  /* The same look as parley-menu-button's trigger. */
  .options {
    display: inline-grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    padding: 0;
    border-radius: 50%;
    font-size: 1.1rem;
    line-height: 1;
  }
  .msg:hover :is(parley-menu-button, .options),
  parley-menu-button:focus-within,
  .options:focus-visible {
    opacity: 1;
  }
  @media (hover: none) {
    parley-menu-button,
    .options {
      opacity: 0.7;
    }
  }
  .deleted .bubble {
    background: transparent;
    color: var(--muted);
    border: 1px dashed var(--border);
    box-shadow: none;
    font-style: italic;
  }
  .text a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .mine {
    align-self: flex-end;
  }
  .theirs {
    align-self: flex-start;
  }
  .bubble {
    padding: 0.45rem 0.75rem 0.35rem;
    border-radius: 1.1rem;
    min-width: 4.5rem;
    /* Long words and URLs wrap instead of widening the bubble. */
    overflow-wrap: anywhere;
    word-break: break-word;
    box-shadow: var(--bubble-shadow);
  }
  .mine .bubble {
    background: var(--bubble-mine);
    color: var(--bubble-mine-text);
    border-bottom-right-radius: 0.35rem;
  }
  .theirs .bubble {
    background: var(--bubble-theirs);
    color: var(--bubble-theirs-text);
    border: 1px solid var(--border);
    border-bottom-left-radius: 0.35rem;
  }
  .text {
    white-space: pre-wrap;
    margin: 0;
  }
  .meta {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 0.3rem;
    margin-top: 0.1rem;
    font-size: 0.7rem;
    color: var(--muted);
  }
  .mine .meta {
    color: var(--bubble-mine-meta);
  }
  .state {
    display: inline-flex;
  }
  .state[data-state='read'] {
    color: var(--tick-read);
  }
  /* Grouped: only the last bubble of a group has the tail and a visible time. */
  .msg.mine.grouped .bubble {
    border-bottom-right-radius: 1.1rem;
  }
  .msg.theirs.grouped .bubble {
    border-bottom-left-radius: 1.1rem;
  }
  .meta time.quiet {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Its time on hover or focus, beside the bubble (nothing moves). */
  .msg:is(:hover, :focus-within) .meta time.quiet {
    width: auto;
    height: auto;
    clip-path: none;
    top: 50%;
    transform: translateY(-50%);
    color: var(--muted);
  }
  .msg.mine:is(:hover, :focus-within) .meta time.quiet {
    right: calc(100% + 0.4rem);
  }
  .msg.theirs:is(:hover, :focus-within) .meta time.quiet {
    left: calc(100% + 0.4rem);
  }
  .grouped .meta:empty {
    display: none;
  }
  .meta .written {
    font-style: italic;
  }
`;
