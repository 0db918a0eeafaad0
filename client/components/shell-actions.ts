/**
 * What the app shell does with a chat's or a person's menu choice: ask first where the
 * choice loses something (delete a chat, remove or block a person), call the data layer,
 * and leave a page that no longer exists for the user (a chat deleted or with someone
 * blocked). Errors are thrown for the shell to show.
 */
import type { UserServices } from '../app-services';
import type { Router } from '../router';
import type { ConfirmOptions } from './confirm-dialog';
import type { ConversationPrefEvent, PersonActionEvent } from './events';

/** Asks the user a yes/no question (the shell's confirmation dialog). */
export type Confirm = (options: ConfirmOptions) => Promise<boolean>;

/** Pin, archive or delete a chat for me (asks first); the list on every device follows. */
export async function changeConversationPref(
  e: ConversationPrefEvent,
  account: UserServices,
  router: Router,
  confirm: Confirm,
): Promise<void> {
  const inbox = account.inbox;
  const id = e.conversationId;
  if (e.action === 'pin' || e.action === 'unpin') return inbox.pin(id, e.action === 'pin');
  if (e.action === 'archive' || e.action === 'unarchive')
    return inbox.archive(id, e.action === 'archive');
  const name = inbox.find(id)?.peer.displayName ?? 'this person';
  const ok = await confirm({
    title: `Delete chat with ${name}?`,
    body: `Its messages are deleted for you on all your devices. ${name} keeps the chat. If they write again, it comes back with only the new messages.`,
    confirm: 'Delete chat',
  });
  if (!ok) return;
  await inbox.clear(id);
  const route = router.snapshot;
  if (route.name === 'conversation' && route.id === id) router.navigate('/');
}

/** Carry out a people action; removing and blocking ask first. */
export async function carryOutPersonAction(
  e: PersonActionEvent,
  account: UserServices,
  router: Router,
  confirm: Confirm,
): Promise<void> {
  const contacts = account.contacts;
  if (e.action === 'block' || e.action === 'remove') {
    const name = nameOf(account, e.subject) ?? 'this person';
    const ok = await confirm(
      e.action === 'block'
        ? {
            title: `Block ${name}?`,
            body: 'They will not be able to message you or see when you are online. You can unblock them later.',
            confirm: 'Block',
          }
        : {
            title: `Remove ${name} from your contacts?`,
            body: 'You can still find each other and chat.',
            confirm: 'Remove',
          },
    );
    if (!ok) return;
  }
  switch (e.action) {
    case 'add':
      return contacts.add(e.subject);
    case 'accept':
      return contacts.accept(e.subject);
    case 'decline':
      return contacts.decline(e.subject);
    case 'cancel':
      return contacts.cancel(e.subject);
    case 'remove':
      return contacts.remove(e.subject);
    case 'block': {
      await contacts.block(e.subject);
      const route = router.snapshot;
      const open = route.name === 'conversation' ? account.inbox.find(route.id) : null;
      // The conversation with them is gone from the list; leave it.
      if (route.name === 'conversation' && (!open || open.peer.id === e.subject))
        router.navigate('/');
      void account.inbox.refresh();
      return;
    }
    case 'unblock':
      await contacts.unblock(e.subject);
      void account.inbox.refresh();
      return;
  }
}

/** The display name of someone the user's device knows of (a chat, a contact, a search). */
function nameOf(account: UserServices, userId: string): string | null {
  const c = account.contacts.snapshot;
  const known =
    account.inbox.snapshot.conversations.find((x) => x.peer.id === userId)?.peer ??
    c.contacts.find((u) => u.id === userId) ??
    account.people.snapshot.results.find((u) => u.id === userId);
  return known?.displayName ?? null;
}
