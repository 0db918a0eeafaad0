/**
 * The reactions under a message: one chip per emoji with its count, named for screen
 * readers ("2 reactions: 👍 by Alice and You"), pressed when you are among them.
 * Activating a chip adds your reaction with that emoji or takes yours back.
 */
import { html } from 'lit';
import type { ReactionView } from '../data/message-extras';
import { ReactionToggleEvent } from './events';
import { joinNames, type NameOf } from './people-names';

/** "2 reactions: 👍 by Alice and You". */
export function reactionLabel(r: ReactionView, nameOf: NameOf): string {
  const n = r.users.length;
  return `${n} ${n === 1 ? 'reaction' : 'reactions'}: ${r.emoji} by ${joinNames(r.users.map(nameOf))}`;
}

export function renderReactions(
  messageId: string,
  reactions: readonly ReactionView[],
  nameOf: NameOf,
  /** Sealed history: the chips show who reacted but cannot be changed. */
  readOnly: boolean,
) {
  if (reactions.length === 0) return null;
  return html`<div class="reactions">
    ${reactions.map(
      (r) =>
        html`<button
          type="button"
          class="chip ${r.mine ? 'mine' : ''}"
          aria-label=${reactionLabel(r, nameOf)}
          title=${reactionLabel(r, nameOf)}
          aria-pressed=${r.mine ? 'true' : 'false'}
          ?disabled=${readOnly}
          @click=${(e: Event) =>
            e.currentTarget?.dispatchEvent(new ReactionToggleEvent(messageId, r.emoji))}
        >
          <span aria-hidden="true">${r.emoji}</span
          ><span class="count" aria-hidden="true">${r.users.length}</span>
        </button>`,
    )}
  </div>`;
}
