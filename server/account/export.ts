/**
 * "Your data": everything a user can see, gathered for the export (GET /api/account/export):
 * the profile, contacts and blocks, and every conversation they take part in with its
 * messages (current text after edits, author, times, replies, reactions, attachment names),
 * read from the messages projection page by page.
 */
import type { People } from '../people';
import type { ConversationStore } from '../store/conversation-store';
import type { UserRow } from '../store/user-store';

/** One person as the export names them. */
export interface ExportPerson {
  id: string;
  displayName: string;
}

export interface ExportMessage {
  id: string;
  /** The author's user id and their name (as this user sees it). */
  from: ExportPerson;
  /** The current text (the latest edit); '' once deleted. */
  text: string;
  /** When the author wrote it (ISO 8601, their device's clock). */
  at: string;
  /** When it was last edited, or null. */
  edited: string | null;
  deleted: boolean;
  /** The id of the message it replies to, or null. */
  replyTo: string | null;
  reactions: { emoji: string; by: ExportPerson[] }[];
  attachments: { name: string; type: string; size: number }[];
}

export interface ExportConversation {
  id: string;
  with: ExportPerson;
  /** When the conversation was opened (ISO 8601). */
  created: string;
  /** Oldest first. */
  messages: ExportMessage[];
}

export interface AccountExport {
  format: 'parley-export';
  version: 1;
  exportedAt: string;
  profile: { id: string; email: string; displayName: string };
  contacts: ExportPerson[];
  blocked: ExportPerson[];
  conversations: ExportConversation[];
}

/** Messages read per query while exporting. */
const PAGE = 500;

const iso = (ms: number): string => new Date(ms).toISOString();

export async function buildExport(
  deps: { people: People; conversations: ConversationStore },
  user: UserRow,
  now = Date.now(),
): Promise<AccountExport> {
  const { people, conversations } = deps;
  const names = new Map<string, ExportPerson>([
    [user.id, { id: user.id, displayName: user.displayName }],
  ]);
  const person = async (id: string): Promise<ExportPerson> => {
    const known = names.get(id);
    if (known) return known;
    const u = await people.users.byId(id);
    const p = { id, displayName: u?.displayName ?? 'Unknown' };
    names.set(id, p);
    return p;
  };
  const [contactIds, blockedIds, rows] = await Promise.all([
    people.store.contactsOf(user.id),
    people.store.blockedBy(user.id),
    conversations.forUser(user.id),
  ]);
  const out: ExportConversation[] = [];
  for (const c of rows) {
    const newestFirst = [];
    let before: { at: number; id: string } | null = null;
    for (;;) {
      const page = await conversations.page(c.id, before, PAGE);
      newestFirst.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) break;
      before = { at: last.at, id: last.id };
    }
    const messages: ExportMessage[] = [];
    for (const m of newestFirst.reverse()) {
      const reactions = [];
      for (const r of m.reactions)
        reactions.push({ emoji: r.emoji, by: await Promise.all(r.users.map(person)) });
      messages.push({
        id: m.id,
        from: await person(m.from),
        text: m.text,
        at: iso(m.at),
        edited: m.edited === null ? null : iso(m.edited),
        deleted: m.deleted,
        replyTo: m.replyTo,
        reactions,
        attachments: m.attachments.map((a) => ({ name: a.name, type: a.type, size: a.size })),
      });
    }
    out.push({
      id: c.id,
      with: await person(people.peerOf(c, user.id)),
      created: iso(c.created),
      messages,
    });
  }
  return {
    format: 'parley-export',
    version: 1,
    exportedAt: iso(now),
    profile: { id: user.id, email: user.email, displayName: user.displayName },
    contacts: await Promise.all(contactIds.map(person)),
    blocked: await Promise.all(blockedIds.map(person)),
    conversations: out,
  };
}
