/** Storage contract, part 2: conversations — one per pair even under races, receipts, epochs. */
import { describe, expect, it } from 'vitest';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

export function conversationsContract(setup: StorageSetup): void {
  describe('conversations', () => {
    it(
      'opening a pair from either side gives one conversation; accepting it ends the request',
      withStorage(setup, async (s, other) => {
        const [a, b, c] = await makeUsers(s, 3);
        const first = await s.conversations.openPair(b!, a!, false);
        expect(first.created).toBe(true);
        expect(first.conversation).toMatchObject({ openedBy: b, accepted: false, epoch: 0 });
        expect([first.conversation.userA, first.conversation.userB].sort()).toEqual([a, b].sort());
        const second = await other.conversations.openPair(a!, b!, true);
        expect(second.created).toBe(false);
        expect(second.conversation).toEqual(first.conversation);
        expect(await other.conversations.byPair(b!, a!)).toEqual(first.conversation);
        expect(await other.conversations.byPair(a!, c!)).toBeNull();
        await other.conversations.acceptPair(b!, a!);
        expect((await s.conversations.byId(first.conversation.id))?.accepted).toBe(true);
        expect(await s.conversations.byId('c_none')).toBeNull();
        const withC = await s.conversations.openPair(a!, c!, true);
        expect(withC.conversation.accepted).toBe(true);
        expect((await other.conversations.forUser(a!)).map((x) => x.id).sort()).toEqual(
          [first.conversation.id, withC.conversation.id].sort(),
        );
        expect((await other.conversations.forUser(b!)).map((x) => x.id)).toEqual([
          first.conversation.id,
        ]);
      }),
    );

    it(
      'two processes opening the same pair at once create one conversation',
      withStorage(setup, async (s, other) => {
        const people = await makeUsers(s, 10);
        for (let i = 0; i < people.length; i += 2) {
          const [x, y] = [people[i]!, people[i + 1]!];
          const [one, two] = await Promise.all([
            s.conversations.openPair(x, y, false),
            other.conversations.openPair(y, x, false),
          ]);
          expect(one.conversation.id).toBe(two.conversation.id);
          expect([one.created, two.created].filter(Boolean)).toHaveLength(1);
          expect(await s.conversations.forUser(x)).toHaveLength(1);
        }
      }),
    );

    it(
      'keeps the last state vector each participant reported, per document',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        expect(await s.conversations.received('c_x:0')).toEqual(new Map());
        await s.conversations.setReceived('c_x:0', a!, new Uint8Array([1, 2]));
        await other.conversations.setReceived('c_x:0', b!, new Uint8Array([3]));
        await s.conversations.setReceived('c_x:0', a!, new Uint8Array([4, 5, 6]));
        await s.conversations.setReceived('c_x:1', a!, new Uint8Array([7]));
        const got = await other.conversations.received('c_x:0');
        expect([...got.keys()].sort()).toEqual([a, b].sort());
        expect([...got.get(a!)!]).toEqual([4, 5, 6]);
        expect([...got.get(b!)!]).toEqual([3]);
      }),
    );

    it(
      'two processes sealing the same epoch at once move it once',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const { conversation } = await s.conversations.openPair(a!, b!, true);
        const raced = await Promise.all([
          s.conversations.sealEpoch(conversation.id, 0),
          other.conversations.sealEpoch(conversation.id, 0),
        ]);
        expect(raced).toEqual([1, 1]);
        expect((await other.conversations.byId(conversation.id))?.epoch).toBe(1);
        // A stale seal changes nothing and reports the live epoch.
        expect(await other.conversations.sealEpoch(conversation.id, 0)).toBe(1);
        expect(await s.conversations.sealEpoch(conversation.id, 1)).toBe(2);
        expect((await other.conversations.byPair(a!, b!))?.epoch).toBe(2);
      }),
    );
  });
}
