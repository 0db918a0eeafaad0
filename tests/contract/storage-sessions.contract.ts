/** The devices part of the Storage contract: what each session says about its device. */
import { describe, expect, it } from 'vitest';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

export function sessionsContract(setup: StorageSetup): void {
  describe('sessions (devices)', () => {
    it(
      'lists a user’s sessions with their device, most recently active first; touches and revokes the others',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const laptop = await s.users.createSession(a!, {
          userAgent: 'Laptop/1.0',
          address: '192.168.1.x',
        });
        const phone = await other.users.createSession(a!, { userAgent: 'Phone/2.0', address: '' });
        const old = await s.users.createSession(a!); // stored before devices were recorded
        const theirs = await s.users.createSession(b!);
        const now = Date.now();
        await other.users.touchSession(laptop, now + 60_000);
        await s.users.touchSession(old, now - 3_600_000);
        const list = await other.users.sessionsOf(a!);
        expect(list.map((x) => x.id)).toEqual([laptop, phone, old]);
        expect(list[0]).toMatchObject({
          userAgent: 'Laptop/1.0',
          address: '192.168.1.x',
          lastActive: now + 60_000,
        });
        expect(typeof list[0]!.created).toBe('number');
        expect(list[2]).toMatchObject({ userAgent: '', address: '', lastActive: now - 3_600_000 });
        await s.users.revokeOtherSessions(a!, phone);
        expect((await other.users.sessionsOf(a!)).map((x) => x.id)).toEqual([phone]);
        expect(await other.users.sessionUser(laptop)).toBeNull();
        expect(await other.users.sessionUser(theirs)).toBe(b);
      }),
    );
  });
}
