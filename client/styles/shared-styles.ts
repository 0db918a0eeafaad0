/** Styles shared by components: controls, focus rings, panels, screen-reader text. */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* An options menu renders once its module has loaded (lazy-elements.ts): keep its place. */
  parley-menu-button:not(:defined) {
    display: inline-block;
    width: 2rem;
    height: 2rem;
  }
  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--border);
    background: var(--glass-strong);
    border-radius: var(--radius-small);
    padding: 0.5rem 0.9rem;
    transition:
      background 120ms ease,
      transform 80ms ease;
  }
  button:hover {
    background: var(--glass-hover);
  }
  button:active {
    transform: translateY(1px);
  }
  button:disabled {
    cursor: default;
    opacity: 0.55;
    transform: none;
  }
  button.primary {
    background: linear-gradient(135deg, var(--accent-strong), #7c4dde);
    border-color: transparent;
    color: var(--on-accent);
    font-weight: 600;
  }
  button.primary:hover {
    filter: brightness(1.08);
  }
  button.ghost {
    background: transparent;
    border-color: transparent;
  }
  button.ghost:hover {
    background: var(--glass);
  }
  input,
  textarea {
    width: 100%;
    border: 1px solid var(--border);
    background: var(--glass);
    border-radius: var(--radius-small);
    padding: 0.6rem 0.8rem;
  }
  input::placeholder,
  textarea::placeholder {
    color: var(--muted);
  }
  a {
    color: var(--accent);
  }
  :is(button, input, textarea, a, [tabindex]):focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--focus-ring);
  }
  /* A panel: an opaque surface (no backdrop-filter: it is costly to render without a GPU). */
  .glass {
    background: var(--panel);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    box-shadow: var(--shadow);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .muted {
    color: var(--muted);
  }
  /* Phone layout: every control is a touch target of 44×44 px at least (a component's own
     width or height is a floor, not a cap: min-* wins). */
  @media (max-width: 799px) {
    button:not(.visually-hidden),
    input:not([type='radio']):not([type='checkbox']):not(.visually-hidden),
    select,
    textarea {
      min-height: 2.75rem;
    }
    button:not(.visually-hidden) {
      min-width: 2.75rem;
    }
  }
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 2.4rem;
    height: 2.4rem;
    border-radius: 50%;
    font-weight: 700;
    font-size: 0.95rem;
    color: #fff;
    background: var(--avatar-bg, linear-gradient(135deg, #5b6cf2, #14b8a6));
  }
  /* A person's "about" line under their name (profile). */
  .about {
    font-size: 0.78rem;
    color: var(--muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;

/** Initials for an avatar: first letters of the first two words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/** A stable gradient per person, so avatars are told apart at a glance. */
export function avatarBackground(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  const hue = Math.abs(hash) % 360;
  return `linear-gradient(135deg, hsl(${hue} 70% 55%), hsl(${(hue + 50) % 360} 70% 45%))`;
}
