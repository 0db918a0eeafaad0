/**
 * The Storage contract: SQLite and PostgreSQL must answer alike — users, people,
 * conversations and the batch commit with its projection. `other` is a second handle on the
 * same data (another process), so races between processes are tested where it matters.
 */
import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import type { Storage } from '../../server/store/storage';
import { usersAndPeopleContract } from './storage-people.contract';
import { conversationsContract } from './storage-conversations.contract';
import { commitContract } from './storage-commit.contract';
import { pushContract } from './storage-push.contract';
import { searchContract } from './storage-search.contract';
import { prefsContract } from './storage-prefs.contract';
import { sessionsContract } from './storage-sessions.contract';

export interface StorageHandles {
  storage: Storage;
  other: Storage;
  teardown: () => Promise<void>;
}

export type StorageSetup = () => Promise<StorageHandles>;

/** Run `fn` on fresh, empty storage handles; tears them down whatever happens. */
export const withStorage =
  (setup: StorageSetup, fn: (s: Storage, other: Storage) => Promise<void>) =>
  async (): Promise<void> => {
    const { storage, other, teardown } = await setup();
    try {
      await fn(storage, other);
    } finally {
      await teardown();
    }
  };

/** `n` new users (unique e-mails), named "<name> 1", "<name> 2", …; returns their ids. */
export async function makeUsers(s: Storage, n: number, name = 'User'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const email = `${name.toLowerCase()}${i}.${randomBytes(4).toString('hex')}@example.test`;
    const u = await s.users.create(email, `${name} ${i}`, 'h');
    if (!u) throw new Error('user not created');
    ids.push(u.id);
  }
  return ids;
}

export function runStorageContract(name: string, setup: StorageSetup): void {
  describe(`Storage contract: ${name}`, () => {
    usersAndPeopleContract(setup);
    conversationsContract(setup);
    commitContract(setup);
    pushContract(setup);
    searchContract(setup);
    prefsContract(setup);
    sessionsContract(setup);
  });
}
