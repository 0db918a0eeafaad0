/**
 * The AdminStore contract: SQLite and PostgreSQL keep the registration mode, invites,
 * one-time links, admin flags, deletions and the audit log alike; invite uses and link uses
 * are atomic across two handles on the same data (two processes).
 */
import { describe, expect, it } from 'vitest';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';

const HOUR = 3600_000;

export function adminStoreContract(name: string, setup: StorageSetup): void {
  describe(`AdminStore contract: ${name}`, () => {
    it(
      'keeps the registration mode, open until set',
      withStorage(setup, async (s, other) => {
        expect(await s.admin.registrationMode()).toBe('open');
        await s.admin.setRegistrationMode('invite');
        expect(await other.admin.registrationMode()).toBe('invite');
        await other.admin.setRegistrationMode('closed');
        expect(await s.admin.registrationMode()).toBe('closed');
      }),
    );

    it(
      'gives the last use of an invite to exactly one of two racing handles',
      withStorage(setup, async (s, other) => {
        const now = Date.now();
        await s.admin.createInvite({
          id: 'i_aaaaaaaaaaaaaaaaaaaa',
          codeHash: 'h1',
          maxUses: 1,
          expires: now + HOUR,
          createdBy: 'test',
          created: now,
        });
        const results = await Promise.all([
          s.admin.useInvite('h1', now),
          other.admin.useInvite('h1', now),
          s.admin.useInvite('h1', now),
          other.admin.useInvite('h1', now),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const [row] = await s.admin.listInvites();
        expect(row).toMatchObject({ id: 'i_aaaaaaaaaaaaaaaaaaaa', used: 1, maxUses: 1 });
        await s.admin.returnInviteUse('h1');
        expect(await other.admin.useInvite('h1', now)).toBe(true);
      }),
    );

    it(
      'refuses expired and revoked invites and unknown codes',
      withStorage(setup, async (s) => {
        const now = Date.now();
        const base = { maxUses: 5, createdBy: 'test', created: now - 2 * HOUR };
        await s.admin.createInvite({
          ...base,
          id: 'i_expiredexpiredexpir',
          codeHash: 'old',
          expires: now - HOUR,
        });
        await s.admin.createInvite({
          ...base,
          id: 'i_revokedrevokedrevok',
          codeHash: 'gone',
          expires: now + HOUR,
        });
        expect(await s.admin.revokeInvite('i_revokedrevokedrevok', now)).toBe(true);
        expect(await s.admin.revokeInvite('i_revokedrevokedrevok', now)).toBe(false);
        expect(await s.admin.useInvite('old', now)).toBe(false);
        expect(await s.admin.useInvite('gone', now)).toBe(false);
        expect(await s.admin.useInvite('nope', now)).toBe(false);
      }),
    );

    it(
      'uses a one-time link once, and not after it expired',
      withStorage(setup, async (s, other) => {
        const [u] = await makeUsers(s, 1);
        const now = Date.now();
        await s.admin.createToken({
          hash: 't1',
          userId: u!,
          purpose: 'reset',
          expires: now + HOUR,
          created: now,
        });
        await s.admin.createToken({
          hash: 't2',
          userId: u!,
          purpose: 'welcome',
          expires: now - 1,
          created: now - HOUR,
        });
        const uses = await Promise.all([
          s.admin.useToken('t1', now),
          other.admin.useToken('t1', now),
        ]);
        expect(uses.filter((x) => x !== null)).toEqual([{ userId: u, purpose: 'reset' }]);
        expect(await s.admin.useToken('t2', now)).toBeNull();
      }),
    );

    it(
      'sets admin and disabled flags that the user store reads',
      withStorage(setup, async (s) => {
        const [u] = await makeUsers(s, 1);
        expect(await s.admin.setAdmin(u!, true)).toBe(true);
        expect(await s.admin.setDisabled(u!, true)).toBe(true);
        expect(await s.users.byId(u!)).toMatchObject({ admin: true, disabled: true });
        expect((await s.admin.userById(u!))?.admin).toBe(true);
        expect(await s.admin.setDisabled('u_nobodynobodynobodyn', true)).toBe(false);
      }),
    );

    it(
      'deletes an account: a tombstone named "Deleted account", no sessions or contacts, e-mail free',
      withStorage(setup, async (s) => {
        const [a, b] = await makeUsers(s, 2, 'Del');
        const email = (await s.users.byId(a!))!.email;
        await s.users.createSession(a!);
        await s.people.connect(a!, b!);
        expect(await s.admin.deleteUser(a!, Date.now())).toBe(true);
        expect(await s.admin.deleteUser(a!, Date.now())).toBe(false);
        const row = await s.admin.userById(a!);
        expect(row).toMatchObject({ displayName: 'Deleted account', disabled: true, admin: false });
        expect(row?.deleted).not.toBeNull();
        expect(await s.people.contactsOf(b!)).toEqual([]);
        expect(await s.users.byEmail(email)).toBeNull();
        expect(await s.users.searchNames(b!, 'deleted', 10)).toEqual([]);
        expect(await s.users.create(email, 'Again', 'h')).not.toBeNull();
      }),
    );

    it(
      'lists and searches accounts by e-mail or name, and keeps the audit log newest first',
      withStorage(setup, async (s) => {
        await makeUsers(s, 3, 'Zed');
        expect(await s.admin.listUsers('', 10)).toHaveLength(3);
        expect(await s.admin.listUsers('zed 2', 10)).toHaveLength(1);
        expect(await s.admin.listUsers('ZED', 2)).toHaveLength(2);
        await s.admin.audit({
          at: 1,
          actor: 'cli (root)',
          action: 'a',
          target: null,
          detail: null,
        });
        await s.admin.audit({ at: 2, actor: 'cli (root)', action: 'b', target: 'u', detail: 'd' });
        const log = await s.admin.auditLog(10);
        expect(log.map((e) => e.action)).toEqual(['b', 'a']);
        expect(log[0]).toMatchObject({ actor: 'cli (root)', target: 'u', detail: 'd', at: 2 });
      }),
    );
  });
}
