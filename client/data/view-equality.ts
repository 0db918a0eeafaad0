/**
 * Whether two message lists show the same thing, so that a snapshot can keep the previous
 * array (views skip work by identity) when a recompute changed nothing visible.
 */
import type { MessageView } from './message-state';

export function sameViews(a: readonly MessageView[], b: readonly MessageView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      !x ||
      !y ||
      x.id !== y.id ||
      x.text !== y.text ||
      x.state !== y.state ||
      x.edited !== y.edited ||
      x.deleted !== y.deleted ||
      x.sealed !== y.sealed ||
      x.canEdit !== y.canEdit ||
      x.unsupported !== y.unsupported ||
      x.attachments.length !== y.attachments.length ||
      x.replyTo?.excerpt !== y.replyTo?.excerpt ||
      x.replyTo?.from !== y.replyTo?.from ||
      !sameReactions(x, y)
    )
      return false;
  }
  return true;
}

function sameReactions(x: MessageView, y: MessageView): boolean {
  if (x.reactions.length !== y.reactions.length) return false;
  return x.reactions.every((r, i) => {
    const o = y.reactions[i];
    return (
      !!o && o.emoji === r.emoji && o.mine === r.mine && o.users.join('\n') === r.users.join('\n')
    );
  });
}
