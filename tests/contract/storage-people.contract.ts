/** Storage contract, part 1: users, sessions, contacts, requests, blocks, declined conversations. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY } from '../../shared/api';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

export function usersAndPeopleContract(setup: StorageSetup): void {
  describe('users', () => {
    it(
      'creates a user, finds it by id and e-mail, and refuses the e-mail a second time',
      withStorage(setup, async (s, other) => {
        const u = await s.users.create('ana@example.test', 'Ana', 'hash1');
        expect(u).toMatchObject({ email: 'ana@example.test', displayName: 'Ana', lastSeen: null });
        expect(await other.users.byId(u!.id)).toEqual(u);
        expect(await other.users.byEmail('ana@example.test')).toEqual(u);
        expect(await other.users.create('ana@example.test', 'Impostor', 'h')).toBeNull();
        expect(await s.users.byEmail('nobody@example.test')).toBeNull();
        await s.users.setPassword(u!.id, 'hash2');
        await s.users.setLastSeen(u!.id, 1_700_000_000_123);
        expect(await other.users.byId(u!.id)).toMatchObject({
          passwordHash: 'hash2',
          lastSeen: 1_700_000_000_123,
        });
      }),
    );

    it(
      'an account stored in NFD is found by its NFC spelling, which cannot be registered again',
      withStorage(setup, async (s) => {
        const nfc = 'jos\u00e9@example.test';
        const old = await s.users.create(nfc.normalize('NFD'), 'José', 'h');
        expect(old).not.toBeNull();
        expect((await s.users.byEmail(nfc))?.id).toBe(old!.id);
        expect(await s.users.create(nfc, 'Other José', 'h')).toBeNull();
      }),
    );

    it(
      'revokes one session, or all of a user',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const s1 = await s.users.createSession(a!);
        const s2 = await s.users.createSession(a!);
        const s3 = await s.users.createSession(b!);
        expect(await other.users.sessionUser(s1)).toBe(a);
        await other.users.revokeSession(s1);
        expect(await s.users.sessionUser(s1)).toBeNull();
        expect(await s.users.sessionUser(s2)).toBe(a);
        await s.users.revokeAllSessions(a!);
        expect(await other.users.sessionUser(s2)).toBeNull();
        expect(await other.users.sessionUser(s3)).toBe(b);
        expect(await s.users.sessionUser('s_never')).toBeNull();
      }),
    );

    it(
      'searches the start of display names and their words case-insensitively, without self, wildcards taken literally',
      withStorage(setup, async (s) => {
        const [self] = await makeUsers(s, 1, 'Maria');
        await s.users.create('m2@example.test', 'Big MARIA', 'h');
        await s.users.create('m3@example.test', 'Mario', 'h');
        await s.users.create('m4@example.test', '100% Maria_x', 'h');
        const names = async (q: string, limit = 10) =>
          (await s.users.searchNames(self!, q, limit)).map((u) => u.displayName);
        expect(await names('maria')).toEqual(['100% Maria_x', 'Big MARIA']);
        expect(await names('100%')).toEqual(['100% Maria_x']);
        expect(await names('%')).toEqual([]);
        expect(await names('maria_')).toEqual(['100% Maria_x']);
        expect(await names('mari_')).toEqual([]);
        expect(await names('mari', 2)).toHaveLength(2);
        expect(await names('example')).toEqual([]);
        // The start of the name or of a word in it, never the middle of a word.
        expect(await names('aria')).toEqual([]);
        expect(await names('BIG M')).toEqual(['Big MARIA']);
      }),
    );
  });

  describe('people', () => {
    it(
      'a request is created once; connecting drops the requests both ways',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const r = await s.people.request(a!, b!);
        expect(r).toMatchObject({ from: a, to: b });
        expect((await other.people.request(a!, b!)).id).toBe(r.id);
        await s.people.request(b!, a!);
        expect((await other.people.incoming(b!)).map((x) => x.id)).toEqual([r.id]);
        expect((await other.people.outgoing(a!)).map((x) => x.id)).toEqual([r.id]);
        expect(await other.people.requestById(r.id)).toEqual(r);
        expect(await other.people.requestBetween(a!, b!)).toEqual(r);
        await other.people.connect(a!, b!);
        expect(await s.people.areContacts(a!, b!)).toBe(true);
        expect(await s.people.areContacts(b!, a!)).toBe(true);
        expect(await s.people.contactsOf(a!)).toEqual([b]);
        expect(await s.people.requestBetween(a!, b!)).toBeNull();
        expect(await s.people.requestBetween(b!, a!)).toBeNull();
        await s.people.disconnect(b!, a!);
        expect(await other.people.areContacts(a!, b!)).toBe(false);
        const again = await s.people.request(a!, b!);
        await s.people.deleteRequest(again.id);
        expect(await other.people.requestById(again.id)).toBeNull();
      }),
    );

    it(
      'a block ends the contact and the requests; blockedBetween answers both ways',
      withStorage(setup, async (s, other) => {
        const [a, b, c] = await makeUsers(s, 3);
        await s.people.connect(a!, b!);
        await s.people.request(b!, a!);
        await s.people.request(a!, c!);
        expect(await other.people.blockedBetween(a!, b!)).toBe(false);
        await s.people.block(a!, b!);
        other.people.forget(); // what the `policy` signal makes every process do
        expect(await other.people.areContacts(a!, b!)).toBe(false);
        expect(await other.people.areContacts(b!, a!)).toBe(false);
        expect(await other.people.requestBetween(b!, a!)).toBeNull();
        expect(await other.people.requestBetween(a!, c!)).not.toBeNull();
        expect(await other.people.blockedBetween(a!, b!)).toBe(true);
        expect(await other.people.blockedBetween(b!, a!)).toBe(true);
        expect(await other.people.hasBlocked(a!, b!)).toBe(true);
        expect(await other.people.hasBlocked(b!, a!)).toBe(false);
        expect(await other.people.blockedBy(a!)).toEqual([b]);
        await s.people.unblock(a!, b!);
        other.people.forget();
        expect(await other.people.blockedBetween(b!, a!)).toBe(false);
        expect(await other.people.blockedBy(a!)).toEqual([]);
      }),
    );

    it(
      'a declined conversation is hidden for its decliner until it is brought back',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation } = await s.conversations.openPair(a!, b!, false);
        expect(await other.people.anyHidden(conversation.id)).toBe(false);
        await s.people.hideConversation(conversation.id, b!);
        await s.people.hideConversation(conversation.id, b!);
        other.people.forget();
        expect(await other.people.anyHidden(conversation.id)).toBe(true);
        expect(await other.people.isHidden(conversation.id, b!)).toBe(true);
        expect(await other.people.isHidden(conversation.id, a!)).toBe(false);
        await s.people.unhideConversation(conversation.id);
        other.people.forget();
        expect(await other.people.anyHidden(conversation.id)).toBe(false);
        expect(await other.people.isHidden(conversation.id, b!)).toBe(false);
      }),
    );

    it(
      'keeps privacy settings per user: the defaults until set, then what was set',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        expect(await other.people.privacyOf(a!)).toEqual(DEFAULT_PRIVACY);
        const hidden = {
          readReceipts: false,
          lastSeen: 'contacts',
          typing: false,
          discoverableByEmail: false,
        } as const;
        await s.people.setPrivacy(a!, hidden);
        other.people.forget();
        expect(await other.people.privacyOf(a!)).toEqual(hidden);
        expect(await other.people.privacyOf(b!)).toEqual(DEFAULT_PRIVACY);
        await other.people.setPrivacy(a!, { ...hidden, lastSeen: 'nobody', typing: true });
        s.people.forget();
        expect(await s.people.privacyOf(a!)).toEqual({
          ...hidden,
          lastSeen: 'nobody',
          typing: true,
        });
      }),
    );
  });
}
