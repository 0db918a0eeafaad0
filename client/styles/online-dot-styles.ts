import { css } from 'lit';

/**
 * The green "online" dot on an avatar (`.avatar.online`): the avatar box is positioned so
 * the dot sits on it, never in the window's corner. Used by the chat list and people search.
 */
export const onlineDotStyles = css`
  .avatar {
    position: relative;
  }
  .avatar.online::after {
    content: '';
    position: absolute;
    right: -1px;
    bottom: -1px;
    width: 0.7rem;
    height: 0.7rem;
    border-radius: 50%;
    background: var(--ok);
    border: 2px solid var(--bg);
  }
`;
