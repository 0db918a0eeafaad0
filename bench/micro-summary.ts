/**
 * In-process A/B of a live summary push and of the per-message "does this reply accept a
 * request" check, for changes too small for the steady scenario's noise (±50 µs per
 * message on the shared machine). It loads the server modules of the checkout given (so a
 * base worktree and a changed one run the same script), fills a SQLite file with 500
 * accepted conversations of 20 messages, and reports the CPU per call of
 * `People.pushConversation` (both participants listening) or `People.replied`.
 *
 *   npx tsx bench/micro-summary.ts <checkout> summary|replied
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Response } from 'express';
import type * as StorageModule from '../server/store/sqlite-storage';
import type * as PeopleModule from '../server/people';
import type * as EventsModule from '../server/events';
import type * as PresenceModule from '../server/presence';
import type * as SignalsModule from '../server/cluster/local-signals';
import type { ConversationRow } from '../server/store/conversation-store';

const CONVERSATIONS = 500;
const CALLS = 20_000;

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? '.');
  const what = process.argv[3] ?? 'summary';
  const load = <T>(path: string): Promise<T> => import(join(root, path)) as Promise<T>;
  const { SqliteStorage } = await load<typeof StorageModule>('server/store/sqlite-storage.ts');
  const { People } = await load<typeof PeopleModule>('server/people.ts');
  const { EventHub } = await load<typeof EventsModule>('server/events.ts');
  const { LocalPresence } = await load<typeof PresenceModule>('server/presence.ts');
  const { LocalSignals } = await load<typeof SignalsModule>('server/cluster/local-signals.ts');
  const dir = mkdtempSync(join(tmpdir(), 'parley-micro-'));
  const s = SqliteStorage.open(join(dir, 'p.db'));
  try {
    const users: string[] = [];
    for (let i = 0; i < 2 * CONVERSATIONS; i++)
      users.push(s.users.create(`u${i}@bench.test`, `User ${i}`, 'x')!.id);
    const convs: ConversationRow[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const c = s.conversations.openPair(users[2 * i]!, users[2 * i + 1]!, true).conversation;
      convs.push(c);
      for (let k = 0; k < 20; k++) {
        const now = Date.now();
        s.conversations.applyProjection(c.id, [c.userA, c.userB], {
          added: [
            {
              id: `m${i}_${k}`,
              from: k % 2 ? c.userB : c.userA,
              text: `hi ${k}`,
              at: now,
              stored: now,
            },
          ],
          deleted: [],
          edited: [],
          reads: [],
        });
      }
    }
    const events = new EventHub();
    // A stream that takes every event (the write itself is not what is measured).
    const stream = { writableEnded: false, write: () => true, end: () => undefined };
    for (const u of users) events.add(u, 'sid', stream as unknown as Response);
    const signals = new LocalSignals();
    const people = new People(
      s.users,
      s.people,
      s.conversations,
      new LocalPresence(s.users, 1000),
      events,
      signals,
      () => undefined,
    );
    people.viewerStateOf = (u, c) => s.prefs.viewerState(u, c);
    const call = (r: number): Promise<void> => {
      const c = convs[r % CONVERSATIONS]!;
      return what === 'replied' ? people.replied(c.id, c.userB) : people.pushConversation(c.id);
    };
    for (let r = 0; r < 2000; r++) await call(r); // warm up
    const t0 = process.cpuUsage();
    for (let r = 0; r < CALLS; r++) await call(r);
    const used = process.cpuUsage(t0);
    const us = (used.user + used.system) / CALLS;
    console.log(`${what} (${root}): ${us.toFixed(1)} µs of CPU per call, ${CALLS} calls`);
    events.closeAll();
    people.closeAll();
    await signals.close();
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
