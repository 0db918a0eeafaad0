/**
 * Storage contract, part 3: the batch commit — the update log, client ids, the messages
 * projection (history, unread counts, read markers, deletes, edits) and the byte counts.
 */
import { describe, expect, it } from 'vitest';
import type { NewMessage, ProjectionChange } from '../../server/store/conversation-store';
import { UNREAD_CAP } from '../../server/store/conversation-store';
import type { DocWrite, Storage } from '../../server/store/storage';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

interface Pair {
  id: string;
  doc: string;
  a: string;
  b: string;
  /** A write by `userId` of `bytes` bytes carrying `change`. */
  write(userId: string, change?: Partial<ProjectionChange> | null, bytes?: number): DocWrite;
}

async function pair(s: Storage): Promise<Pair> {
  const [a, b] = await makeUsers(s, 2);
  const { conversation } = await s.conversations.openPair(a!, b!, true);
  const doc = `${conversation.id}:0`;
  return {
    id: conversation.id,
    doc,
    a: a!,
    b: b!,
    write: (userId, change = null, bytes = 10) => ({
      doc,
      conversationId: conversation.id,
      participants: [a!, b!],
      update: new Uint8Array(bytes).fill(bytes % 251),
      userId,
      newClients: [],
      projection: change && { added: [], deleted: [], edited: [], reads: [], ...change },
    }),
  };
}

const msg = (id: string, from: string, at: number, text = `text of ${id}`): NewMessage => ({
  id,
  from,
  text,
  at,
  stored: at,
});

/** One commit; throws unless every write of it succeeded. */
async function commitAll(s: Storage, writes: DocWrite[]): Promise<number[]> {
  return (await s.commit(writes)).map((r) => {
    if (!r.ok) throw new Error(`write failed: ${String(r.error)}`);
    return r.seq;
  });
}

export function commitContract(setup: StorageSetup): void {
  describe('commit', () => {
    it(
      'appends the updates, binds new client ids to their first writer and projects messages',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const before = (await s.conversations.byId(p.id))!.activity;
        const at = Date.now() + 60_000;
        const w1 = { ...p.write(p.a, { added: [msg('m1', p.a, at)] }), newClients: [7, 8] };
        const w2 = { ...p.write(p.b, null, 3), newClients: [8, 9] };
        const [s1, s2] = await commitAll(s, [w1, w2]);
        expect(s1).toBeLessThan(s2!);
        const log = await other.docs.loadUpdates(p.doc);
        expect(log.map((u) => u.seq)).toEqual([s1, s2]);
        expect(log.map((u) => u.data.byteLength)).toEqual([10, 3]);
        expect(await other.docs.loadClients(p.doc)).toEqual(
          new Map([
            [7, p.a],
            [8, p.a],
            [9, p.b],
          ]),
        );
        expect(await other.conversations.lastMessage(p.id)).toEqual({
          id: 'm1',
          conversationId: p.id,
          from: p.a,
          text: 'text of m1',
          at,
          edited: null,
          deleted: false,
          replyTo: null,
          reactions: [],
          attachments: [],
        });
        expect(await other.conversations.senderOf(p.id, 'm1')).toBe(p.a);
        expect(await other.conversations.senderOf(p.id, 'm2')).toBeUndefined();
        expect(await other.conversations.messageFactsOf(p.id)).toEqual(
          new Map([['m1', { from: p.a, at, stored: at }]]),
        );
        const activity = (await other.conversations.byId(p.id))!.activity;
        expect(activity).toBeGreaterThanOrEqual(at);
        expect(activity).toBeGreaterThan(before);
      }),
    );

    it(
      'answers each write of a batch spanning conversations in the order of the writes',
      withStorage(setup, async (s, other) => {
        const [p, q] = [await pair(s), await pair(s)];
        const seqs = await commitAll(s, [
          q.write(q.a, null, 5),
          p.write(p.a, null, 6),
          q.write(q.b, null, 7),
          p.write(p.b, null, 8),
        ]);
        const ofQ = await other.docs.loadUpdates(q.doc);
        const ofP = await other.docs.loadUpdates(p.doc);
        expect(ofQ.map((u) => [u.seq, u.data.byteLength])).toEqual([
          [seqs[0], 5],
          [seqs[2], 7],
        ]);
        expect(ofP.map((u) => [u.seq, u.data.byteLength])).toEqual([
          [seqs[1], 6],
          [seqs[3], 8],
        ]);
      }),
    );

    it(
      'a message id seen before is ignored (the first text stays)',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        await commitAll(s, [p.write(p.a, { added: [msg('m1', p.a, 1000, 'first')] })]);
        await commitAll(other, [p.write(p.a, { added: [msg('m1', p.a, 2000, 'second')] })]);
        expect(await s.conversations.page(p.id, null, 10)).toMatchObject([
          { id: 'm1', text: 'first', at: 1000 },
        ]);
      }),
    );

    it(
      'pages history newest first, (at, id) ties included, continuing from the cursor',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const added = [
          msg('m-a', p.a, 1000),
          msg('m-c', p.b, 2000),
          msg('m-b', p.a, 2000),
          msg('m-d', p.b, 3000),
          msg('m-e', p.a, 4000),
        ];
        await commitAll(s, [p.write(p.a, { added: added.slice(0, 2) })]);
        await commitAll(s, [p.write(p.b, { added: added.slice(2) })]);
        const ids: string[] = [];
        let cursor: { at: number; id: string } | null = null;
        for (;;) {
          const page = await other.conversations.page(p.id, cursor, 2);
          ids.push(...page.map((m) => m.id));
          if (page.length < 2) break;
          const last = page[page.length - 1]!;
          cursor = { at: last.at, id: last.id };
        }
        expect(ids).toEqual(['m-e', 'm-d', 'm-c', 'm-b', 'm-a']);
      }),
    );

    it(
      "counts the other participant's unread messages and recounts when a read marker moves",
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const fromB = [1, 2, 3, 4].map((i) => msg(`b${i}`, p.b, 1000 + i));
        await commitAll(s, [
          p.write(p.b, { added: fromB.slice(0, 2) }),
          p.write(p.a, { added: [msg('a1', p.a, 1010)] }),
          p.write(p.b, { added: fromB.slice(2) }),
        ]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(4);
        expect(await other.conversations.unread(p.id, p.b)).toBe(1);
        const read = (upTo: string, at: number) =>
          p.write(p.a, { reads: [{ userId: p.a, upTo, at }] });
        await commitAll(other, [read('b2', 5000)]);
        expect(await s.conversations.unread(p.id, p.a)).toBe(2);
        // A marker never moves back.
        await commitAll(s, [read('b1', 6000)]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(2);
        // A marker on a message the server does not have is ignored.
        await commitAll(s, [read('nope', 7000)]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(2);
        // New messages and the marker in one write: the marker wins (a recount).
        await commitAll(s, [
          p.write(p.a, {
            added: [msg('b5', p.b, 1005)],
            reads: [{ userId: p.a, upTo: 'b5', at: 8000 }],
          }),
        ]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(0);
        expect(await other.conversations.unread(p.id, p.b)).toBe(1);
      }),
    );

    it(
      'a read outside the document (receipts off) moves the marker forward only and recounts',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const fromB = [1, 2, 3].map((i) => msg(`b${i}`, p.b, 1000 + i));
        await commitAll(s, [p.write(p.b, { added: fromB })]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(3);
        await other.conversations.markRead(p.id, [p.a, p.b], p.a, 'b2', 5000);
        expect(await s.conversations.unread(p.id, p.a)).toBe(1);
        await s.conversations.markRead(p.id, [p.a, p.b], p.a, 'b1', 6000);
        expect(await other.conversations.unread(p.id, p.a)).toBe(1);
        await s.conversations.markRead(p.id, [p.a, p.b], p.a, 'nope', 7000);
        expect(await other.conversations.unread(p.id, p.a)).toBe(1);
        await s.conversations.markRead(p.id, [p.a, p.b], p.a, 'b3', 8000);
        expect(await other.conversations.unread(p.id, p.a)).toBe(0);
        expect(await other.conversations.unread(p.id, p.b)).toBe(0);
      }),
    );

    it(
      'moves both read markers of one write, each only forward, and recounts both',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        await commitAll(s, [
          p.write(p.a, { added: [msg('a1', p.a, 1001), msg('a2', p.a, 1002)] }),
          p.write(p.b, { added: [msg('b1', p.b, 1003), msg('b2', p.b, 1004)] }),
          p.write(p.a, { reads: [{ userId: p.a, upTo: 'b2', at: 2000 }] }),
        ]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(0);
        expect(await other.conversations.unread(p.id, p.b)).toBe(2);
        const both = [
          { userId: p.a, upTo: 'b1', at: 3000 }, // behind its marker: stays at b2
          { userId: p.b, upTo: 'a1', at: 3000 },
        ];
        await commitAll(other, [p.write(p.b, { added: [msg('b3', p.b, 1005)], reads: both })]);
        expect(await s.conversations.unread(p.id, p.a)).toBe(1);
        expect(await s.conversations.unread(p.id, p.b)).toBe(1);
      }),
    );

    it(
      `stops unread counts at ${UNREAD_CAP}`,
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const many = Array.from({ length: UNREAD_CAP + 5 }, (_, i) => msg(`m${i}`, p.b, 1000 + i));
        await commitAll(s, [p.write(p.b, { added: many })]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(UNREAD_CAP);
        await commitAll(s, [p.write(p.b, { added: [msg('more', p.b, 9000)] })]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(UNREAD_CAP);
        await commitAll(s, [p.write(p.a, { reads: [{ userId: p.a, upTo: 'm1', at: 9001 }] })]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(UNREAD_CAP);
        await commitAll(s, [p.write(p.a, { reads: [{ userId: p.a, upTo: 'm6', at: 9002 }] })]);
        expect(await other.conversations.unread(p.id, p.a)).toBe(UNREAD_CAP - 1);
      }),
    );

    it(
      'an edit changes the text; a delete removes it for good and recounts',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        await commitAll(s, [p.write(p.b, { added: [msg('m1', p.b, 1000), msg('m2', p.b, 2000)] })]);
        await commitAll(s, [p.write(p.b, { edited: [{ id: 'm1', text: 'better', at: 3000 }] })]);
        expect(
          (await other.conversations.page(p.id, null, 10)).map((m) => [m.id, m.text, m.edited]),
        ).toEqual([
          ['m2', 'text of m2', null],
          ['m1', 'better', 3000],
        ]);
        await commitAll(other, [p.write(p.b, { deleted: ['m2'] })]);
        expect(await s.conversations.unread(p.id, p.a)).toBe(1);
        expect(await s.conversations.lastMessage(p.id)).toMatchObject({ id: 'm1', text: 'better' });
        expect((await s.conversations.page(p.id, null, 10)).map((m) => m.id)).toEqual(['m1']);
        // An edit arriving after the delete does not bring the text back.
        await commitAll(s, [p.write(p.b, { edited: [{ id: 'm2', text: 'again', at: 4000 }] })]);
        expect((await other.conversations.page(p.id, null, 10)).map((m) => m.id)).toEqual(['m1']);
        expect(await other.conversations.senderOf(p.id, 'm2')).toBe(p.b);
      }),
    );

    it(
      'two processes committing to the same conversations at once lose nothing',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const q = await pair(s);
        // Each batch writes both conversations, in opposite orders, as both participants:
        // the two transactions want the same rows (unread counts, activity) at the same time.
        const batch = (n: number, first: Pair, second: Pair, tag: string): DocWrite[] => [
          first.write(first.a, { added: [msg(`${tag}${n}a`, first.a, 1000 + n)] }),
          second.write(second.b, { added: [msg(`${tag}${n}b`, second.b, 1000 + n)] }),
          first.write(first.b, { added: [msg(`${tag}${n}c`, first.b, 1000 + n)] }),
        ];
        const rounds = 20;
        for (let n = 0; n < rounds; n++)
          await Promise.all([
            commitAll(s, batch(n, p, q, 'x')),
            commitAll(other, batch(n, q, p, 'y')),
          ]);
        for (const c of [p, q]) {
          expect(await s.docs.countUpdates(c.doc)).toBe(rounds * 3);
          expect(await s.conversations.unread(c.id, c.a)).toBe(rounds * 2);
          expect(await s.conversations.unread(c.id, c.b)).toBe(rounds);
        }
      }),
    );

    it(
      'the last message is the newest to arrive, not the one its author dated latest',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const now = Date.now();
        // A device whose clock runs 50 minutes ahead, then one two days behind.
        await commitAll(s, [p.write(p.a, { added: [msg('m1', p.a, now + 50 * 60_000)] })]);
        await commitAll(s, [p.write(p.b, { added: [msg('m2', p.b, now - 2 * 86_400_000)] })]);
        expect((await other.conversations.lastMessage(p.id))?.id).toBe('m2');
      }),
    );

    it(
      'a failing write in the middle of a batch fails alone, and only stored bytes count',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        // Its message is projected, then its edit (text NULL) violates NOT NULL in both
        // schemas: everything the write did must be undone, and nothing else.
        const broken = { id: 'm1', text: null as unknown as string, at: 1600 };
        const results = await s.commit([
          p.write(p.a, { added: [msg('m1', p.a, 1000)] }, 100),
          {
            ...p.write(p.a, { added: [msg('bad', p.a, 1500)], edited: [broken] }, 1000),
            newClients: [5],
          },
          p.write(p.b, { added: [msg('m2', p.b, 2000)] }, 30),
        ]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        const failed = results[1];
        expect(failed?.ok === false && failed.error).toBeTruthy();
        const log = await other.docs.loadUpdates(p.doc);
        expect(log.map((u) => u.data.byteLength)).toEqual([100, 30]);
        expect(await other.docs.loadClients(p.doc)).toEqual(new Map());
        expect((await other.conversations.page(p.id, null, 10)).map((m) => m.id)).toEqual([
          'm2',
          'm1',
        ]);
        expect((await other.conversations.lastMessage(p.id))?.text).toBe('text of m2');
        expect((await other.conversations.page(p.id, null, 10))[1]).toMatchObject({
          text: 'text of m1',
          edited: null,
        });
        expect(await other.conversations.unread(p.id, p.b)).toBe(1);
        expect(await other.storedBytes(p.a)).toBe(100);
        expect(await other.storedBytes(p.b)).toBe(30);
        await commitAll(other, [p.write(p.a, null, 5), p.write(p.a, null, 7)]);
        expect(await s.storedBytes(p.a)).toBe(112);
        expect(await s.storedBytes('u_nobody')).toBe(0);
      }),
    );

    it(
      'projects replies, attachments and reactions, and a delete for everyone removes them',
      withStorage(setup, async (s, other) => {
        const p = await pair(s);
        const photo = {
          id: 'a_ABCDEFGHIJKLMNOPQRST',
          kind: 'image' as const,
          name: 'cat.jpg',
          type: 'image/jpeg',
          size: 10,
          width: 4,
          height: 3,
        };
        const m1 = { ...msg('m1', p.a, 1000), attachments: [photo] };
        const m2 = { ...msg('m2', p.b, 2000), replyTo: 'm1' };
        const react = (messageId: string, userId: string, emoji: string, at: number) => ({
          messageId,
          userId,
          emoji,
          at,
        });
        await commitAll(s, [
          p.write(p.a, { added: [m1] }),
          p.write(p.b, { added: [m2], reactionsAdded: [react('m1', p.b, '👍', 3000)] }),
          p.write(p.a, {
            reactionsAdded: [react('m1', p.a, '👍', 3100), react('m1', p.a, '🎉', 3200)],
          }),
          p.write(p.a, { reactionsRemoved: [{ messageId: 'm1', userId: p.a, emoji: '🎉' }] }),
          // A reaction to a message the projection does not have is not projected.
          p.write(p.a, { reactionsAdded: [react('m9', p.a, '👍', 3300)] }),
        ]);
        const page = await other.conversations.page(p.id, null, 10);
        expect(page.map((m) => [m.id, m.replyTo, m.reactions, m.attachments])).toEqual([
          ['m2', 'm1', [], []],
          ['m1', null, [{ emoji: '👍', users: [p.b, p.a] }], [photo]],
        ]);
        expect((await other.conversations.lastMessage(p.id))?.replyTo).toBe('m1');
        expect(await other.conversations.messageFactsOf(p.id)).toEqual(
          new Map([
            ['m1', { from: p.a, at: 1000, stored: 1000 }],
            ['m2', { from: p.b, at: 2000, stored: 2000 }],
          ]),
        );
        // The edit and a reaction in the same update as the deletion do not survive it.
        await commitAll(other, [
          p.write(p.a, {
            deleted: ['m1'],
            edited: [{ id: 'm1', text: 'edited', at: 4000 }],
            reactionsAdded: [react('m1', p.a, '🎉', 4000)],
          }),
        ]);
        expect((await s.conversations.page(p.id, null, 10)).map((m) => m.id)).toEqual(['m2']);
        expect((await s.conversations.page(p.id, null, 10))[0]?.replyTo).toBe('m1');
        // Still known to the validator (a reply to a deleted message stays in the conversation).
        expect((await s.conversations.messageFactsOf(p.id)).has('m1')).toBe(true);
      }),
    );
  });
}
