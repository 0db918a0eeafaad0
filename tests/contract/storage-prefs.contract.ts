/**
 * Storage contract, conversation preferences (issue #14): pin (in pin order, up to a limit),
 * archive and "delete chat for me" are kept per user, seen alike by every process, and the
 * cleared point resets only that user's unread count and hides only their search matches.
 */
import { describe, expect, it } from 'vitest';
import type { DocWrite, Storage } from '../../server/store/storage';
import { NO_PREFS } from '../../server/store/conversation-prefs';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

async function say(
  s: Storage,
  id: string,
  a: string,
  b: string,
  mid: string,
  text: string,
  at: number,
) {
  const w: DocWrite = {
    doc: `${id}:0`,
    conversationId: id,
    participants: [a, b],
    update: new Uint8Array([1, 2, 3]),
    userId: a,
    newClients: [],
    projection: {
      added: [{ id: mid, from: a, text, at, stored: at }],
      deleted: [],
      edited: [],
      reads: [],
    },
  };
  const [r] = await s.commit([w]);
  if (!r?.ok) throw new Error('write failed');
}

export function prefsContract(setup: StorageSetup): void {
  describe('conversation preferences', () => {
    it(
      'pins in order up to the limit, archives, and keeps each user’s choices to themselves',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        expect(await s.prefs.get(a!, 'c1')).toEqual(NO_PREFS);
        expect(await s.prefs.setPinned(a!, 'c1', 100, 2)).toBe(true);
        expect(await other.prefs.setPinned(a!, 'c2', 200, 2)).toBe(true);
        // The limit: a third pin is refused and changes nothing; re-pinning keeps its place.
        expect(await s.prefs.setPinned(a!, 'c3', 300, 2)).toBe(false);
        expect((await other.prefs.get(a!, 'c3')).pinnedAt).toBeNull();
        expect(await s.prefs.setPinned(a!, 'c1', 400, 2)).toBe(true);
        expect((await other.prefs.get(a!, 'c1')).pinnedAt).toBe(100);
        // Bob's choices are his own.
        expect(await s.prefs.get(b!, 'c1')).toEqual(NO_PREFS);
        expect(await s.prefs.setPinned(b!, 'c3', 300, 2)).toBe(true);
        expect(await s.prefs.setPinned(a!, 'c2', null, 2)).toBe(true);
        expect(await s.prefs.setPinned(a!, 'c3', 500, 2)).toBe(true);
        await other.prefs.setArchived(a!, 'c4', true);
        expect(await s.prefs.get(a!, 'c4')).toEqual({
          pinnedAt: null,
          archived: true,
          clearedAt: null,
        });
        await s.prefs.setArchived(a!, 'c4', false);
        expect((await other.prefs.get(a!, 'c4')).archived).toBe(false);
      }),
    );

    it(
      'delete for me: a cleared point that never moves back, unpins, unarchives, zeroes only my unread and hides only my matches',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, true);
        await say(s, c.id, b!, a!, 'm1', 'lighthouse at noon', 1000);
        await say(s, c.id, b!, a!, 'm2', 'and the lighthouse again', 2000);
        expect(await s.conversations.unread(c.id, a!)).toBe(2);
        await s.prefs.setPinned(a!, c.id, 10, 5);
        await s.prefs.setArchived(a!, c.id, true);
        await other.prefs.clear(a!, c.id, 2000);
        expect(await s.prefs.get(a!, c.id)).toEqual({
          pinnedAt: null,
          archived: false,
          clearedAt: 2000,
        });
        expect(await s.conversations.unread(c.id, a!)).toBe(0);
        await s.prefs.clear(a!, c.id, 1500);
        expect((await other.prefs.get(a!, c.id)).clearedAt).toBe(2000);
        const find = async (who: string) =>
          (
            await other.search.search({
              userId: who,
              words: ['lighthouse'],
              before: null,
              limit: 20,
              now: Date.now(),
            })
          ).map((h) => h.message.id);
        expect(await find(a!)).toEqual([]);
        expect((await find(b!)).sort()).toEqual(['m1', 'm2']);
        // A new message after the cleared point counts and is found again.
        await say(s, c.id, b!, a!, 'm3', 'lighthouse tonight', 3000);
        expect(await s.conversations.unread(c.id, a!)).toBe(1);
        expect(await find(a!)).toEqual(['m3']);
      }),
    );

    it(
      'a viewer’s state in one read: preferences, mute, declined and unread, each the viewer’s own',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation: c } = await s.conversations.openPair(a!, b!, false);
        expect(await other.prefs.viewerState(a!, c.id)).toEqual({
          prefs: NO_PREFS,
          mute: null,
          hidden: false,
          unread: 0,
        });
        await say(s, c.id, b!, a!, 'm1', 'hello', 1000);
        await say(s, c.id, b!, a!, 'm2', 'hello again', 2000);
        await s.prefs.setPinned(a!, c.id, 10, 5);
        await s.push.setMute(a!, c.id, { until: null });
        await s.people.hideConversation(c.id, a!);
        expect(await other.prefs.viewerState(a!, c.id)).toEqual({
          prefs: { pinnedAt: 10, archived: false, clearedAt: null },
          mute: { until: null },
          hidden: true,
          unread: 2,
        });
        await s.push.setMute(a!, c.id, { until: 5_000_000_000_000 });
        expect((await other.prefs.viewerState(a!, c.id)).mute).toEqual({
          until: 5_000_000_000_000,
        });
        // Bob's state is his own: the sender of both, nothing of Alice's choices.
        expect(await other.prefs.viewerState(b!, c.id)).toEqual({
          prefs: NO_PREFS,
          mute: null,
          hidden: false,
          unread: 0,
        });
        await s.push.setMute(a!, c.id, null);
        await s.people.unhideConversation(c.id);
        const after = await other.prefs.viewerState(a!, c.id);
        expect([after.mute, after.hidden]).toEqual([null, false]);
      }),
    );
  });
}
