/**
 * Storage contract, part 4: message search — the index follows the projection (new, edited,
 * deleted messages), is limited to the searcher's listed conversations, ranks by relevance
 * and recency, and treats search syntax as plain words.
 */
import { describe, expect, it } from 'vitest';
import type { NewMessage, ProjectionChange } from '../../server/store/conversation-store';
import type { DocWrite, Storage } from '../../server/store/storage';
import { searchWords } from '../../shared/search-text';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

/** Commit one projection change to conversation `id` between `a` and `b`. */
async function project(
  s: Storage,
  id: string,
  a: string,
  b: string,
  change: Partial<ProjectionChange>,
): Promise<void> {
  const w: DocWrite = {
    doc: `${id}:0`,
    conversationId: id,
    participants: [a, b],
    update: new Uint8Array([1, 2, 3]),
    userId: a,
    newClients: [],
    projection: { added: [], deleted: [], edited: [], reads: [], ...change },
  };
  const [r] = await s.commit([w]);
  if (!r?.ok) throw new Error('write failed');
}

const msg = (id: string, from: string, text: string, at = Date.now()): NewMessage => ({
  id,
  from,
  text,
  at,
  stored: at,
});

/** Ids of `userId`'s matches for `query`, best first. */
async function ids(
  s: Storage,
  userId: string,
  query: string,
  opts: { before?: number; limit?: number } = {},
): Promise<string[]> {
  const hits = await s.search.search({
    userId,
    words: searchWords(query),
    before: opts.before ?? null,
    limit: opts.limit ?? 20,
    now: Date.now(),
  });
  return hits.map((h) => h.message.id);
}

export function searchContract(setup: StorageSetup): void {
  describe('message search', () => {
    it(
      'finds a message by a word or the start of one, in any case, with its conversation and peer',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, true);
        await project(s, c.id, a!, b!, {
          added: [msg('m1', a!, 'Meet me at the Lighthouse tomorrow'), msg('m2', b!, 'ok')],
        });
        expect(await ids(other, b!, 'lighthouse')).toEqual(['m1']);
        expect(await ids(other, b!, 'LIGHT')).toEqual(['m1']);
        expect(await ids(other, a!, 'meet tomorrow')).toEqual(['m1']);
        expect(await ids(other, a!, 'meet yesterday')).toEqual([]);
        const [hit] = await other.search.search({
          userId: b!,
          words: ['lighthouse'],
          before: null,
          limit: 5,
          now: Date.now(),
        });
        expect(hit?.peer).toBe(a);
        expect(hit?.message).toMatchObject({
          id: 'm1',
          conversationId: c.id,
          from: a,
          text: 'Meet me at the Lighthouse tomorrow',
          deleted: false,
        });
      }),
    );

    it(
      'finds an edited message by its new text only and a deleted message not at all',
      withStorage(setup, async (s) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, true);
        await project(s, c.id, a!, b!, {
          added: [msg('m1', a!, 'the original pineapple'), msg('m2', a!, 'secret walrus plan')],
        });
        // Edited and deleted once before any search (not indexed yet), once after (indexed).
        await project(s, c.id, a!, b!, {
          added: [msg('m3', a!, 'early kiwi'), msg('m4', a!, 'early papaya')],
        });
        await project(s, c.id, a!, b!, {
          edited: [{ id: 'm3', text: 'late lychee', at: Date.now() }],
          deleted: ['m4'],
        });
        expect(await ids(s, b!, 'pineapple')).toEqual(['m1']);
        expect(await ids(s, b!, 'walrus')).toEqual(['m2']);
        expect(await ids(s, b!, 'early')).toEqual([]);
        expect(await ids(s, b!, 'lychee')).toEqual(['m3']);
        await project(s, c.id, a!, b!, {
          edited: [{ id: 'm1', text: 'the corrected mango', at: Date.now() }],
        });
        await project(s, c.id, a!, b!, { deleted: ['m2'] });
        expect(await ids(s, b!, 'pineapple')).toEqual([]);
        expect(await ids(s, b!, 'mango')).toEqual(['m1']);
        expect(await ids(s, b!, 'walrus')).toEqual([]);
        expect(await ids(s, b!, 'secret')).toEqual([]);
        // An edit of a deleted message changes nothing.
        await project(s, c.id, a!, b!, {
          edited: [{ id: 'm2', text: 'walrus again', at: Date.now() }],
        });
        expect(await ids(s, b!, 'walrus')).toEqual([]);
      }),
    );

    it(
      "never finds another pair's messages, nor a declined conversation's or a blocked person's",
      withStorage(setup, async (s) => {
        const [a, b, third] = await makeUsers(s, 3);
        const { conversation: ab } = await s.conversations.openPair(a!, b!, true);
        const { conversation: tb } = await s.conversations.openPair(third!, b!, false);
        await project(s, ab.id, a!, b!, { added: [msg('ab1', a!, 'the zebra code is 1234')] });
        await project(s, tb.id, third!, b!, { added: [msg('tb1', third!, 'zebra offer')] });
        expect(await ids(s, third!, 'zebra')).toEqual(['tb1']);
        expect(await ids(s, a!, 'zebra')).toEqual(['ab1']);
        expect((await ids(s, b!, 'zebra')).sort()).toEqual(['ab1', 'tb1']);
        // b declines the request from third: it leaves b's list and b's search.
        await s.people.hideConversation(tb.id, b!);
        expect(await ids(s, b!, 'zebra')).toEqual(['ab1']);
        expect(await ids(s, third!, 'zebra')).toEqual(['tb1']);
        // a blocks b: b's conversation leaves a's search (not b's: b did not block anyone).
        await s.people.block(a!, b!);
        expect(await ids(s, a!, 'zebra')).toEqual([]);
        expect(await ids(s, b!, 'zebra')).toEqual(['ab1']);
      }),
    );

    it(
      'ranks a better match first, and at equal relevance the newer message',
      withStorage(setup, async (s) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, true);
        const now = Date.now();
        const day = 24 * 3600 * 1000;
        await project(s, c.id, a!, b!, {
          added: [
            msg('old', a!, 'kayak trip', now - 60 * day),
            msg('new', a!, 'kayak trip', now - day),
            msg('mid', a!, 'kayak trip', now - 10 * day),
            msg('other', a!, 'nothing to see', now),
          ],
        });
        expect(await ids(s, b!, 'kayak')).toEqual(['new', 'mid', 'old']);
        expect(await ids(s, b!, 'kayak', { limit: 2 })).toEqual(['new', 'mid']);
        expect(await ids(s, b!, 'kayak', { before: now - 5 * day })).toEqual(['mid', 'old']);
        // Sent at the same time, the message that says it more often comes first.
        await project(s, c.id, a!, b!, {
          added: [
            msg('once', a!, 'canoe or not', now - 2 * day),
            msg('thrice', a!, 'canoe canoe canoe', now - 2 * day),
          ],
        });
        expect(await ids(s, b!, 'canoe')).toEqual(['thrice', 'once']);
      }),
    );

    it(
      'finds the newest matches of a word in thousands of messages, still only your own',
      withStorage(setup, async (s) => {
        const [a, b, c] = await makeUsers(s, 3);
        const { conversation: ab } = await s.conversations.openPair(a!, b!, true);
        const { conversation: cb } = await s.conversations.openPair(c!, b!, true);
        const { conversation: ac } = await s.conversations.openPair(a!, c!, true);
        const base = Date.now() - 10_000_000;
        const many = (from: string, prefix: string, n: number, at: number): NewMessage[] =>
          Array.from({ length: n }, (_, i) =>
            msg(`${prefix}${i}`, from, `common word ${i}`, at + i),
          );
        // More than either storage reads through its "few matches" path.
        await project(s, ab.id, a!, b!, { added: many(a!, 'ab', 1500, base) });
        await project(s, cb.id, c!, b!, { added: many(c!, 'cb', 1500, base + 2000) });
        await project(s, ac.id, a!, c!, { added: many(a!, 'ac', 10, base + 5000) });
        const found = await ids(s, b!, 'common', { limit: 5 });
        expect(found).toEqual(['cb1499', 'cb1498', 'cb1497', 'cb1496', 'cb1495']);
        expect(await ids(s, a!, 'common', { limit: 3 })).toEqual(['ac9', 'ac8', 'ac7']);
        // b declines c's conversation: the newest of b's are a's again.
        await s.people.hideConversation(cb.id, b!);
        expect(await ids(s, b!, 'common', { limit: 2 })).toEqual(['ab1499', 'ab1498']);
      }),
    );

    it(
      'treats quotes, operators and other search syntax as plain text',
      withStorage(setup, async (s) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, true);
        await project(s, c.id, a!, b!, {
          added: [msg('m1', a!, 'say "hello" to NEAR OR AND friends: yes*')],
        });
        for (const hostile of [
          '"hello',
          'hello"',
          "it's",
          'NEAR(hello',
          'hello OR',
          'text:hello',
          '-hello',
          '^hello*',
          "'hello':* & !x",
          'hello\\',
          '(((',
          'AND',
        ]) {
          const words = searchWords(hostile);
          const found = await s.search.search({
            userId: b!,
            words,
            before: null,
            limit: 5,
            now: Date.now(),
          });
          expect(Array.isArray(found)).toBe(true);
        }
        expect(await ids(s, b!, '"hello"')).toEqual(['m1']);
        expect(await ids(s, b!, 'near or and')).toEqual(['m1']);
        expect(await ids(s, b!, 'friends:')).toEqual(['m1']);
        expect(await ids(s, b!, '')).toEqual([]);
      }),
    );
  });
}
