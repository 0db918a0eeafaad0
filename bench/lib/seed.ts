/**
 * Seed a long conversation through the real write path: both participants' sockets send
 * Yjs updates that the server validates, stores, projects and relays like any others.
 * Authors take turns of `turn` messages (one update each), so the document has the shape
 * of a real conversation (one item per turn) rather than one merged item per author.
 * Each turn waits for the server's ack before the other author appends after it (an
 * update whose origin the server lacks would be deferred). The sockets of one author are
 * used in rotation to stay under the per-socket frame limit. When the server seals the
 * live document (epochs), the seeders move to the next one, as clients do.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '../../shared/protocol';
import { newMessageId, type ChatMessage } from '../../shared/schema';
import type { Account } from './http';
import { RawAppender } from './raw-update';
import type { ServerProcess } from './server';
import { SyncClient } from './sync-client';

/** Stay below the server's 2,000 frames per 10 s per socket (the handshake counts too). */
const FRAMES_PER_WINDOW = 1800;
const WINDOW_MS = 10_000;

interface Seeder {
  client: SyncClient;
  sent: number[];
  waiter: { clock: number; resolve: () => void } | null;
}

export interface SeedResult {
  messages: number;
  frames: number;
  ms: number;
  serverCpuMs: number;
  /** `at` and `id` of every message, oldest first (for history cursors). */
  ats: Float64Array;
  ids: string[];
  /** The documents written, oldest first (more than one when the server sealed some). */
  docs: string[];
}

export async function seedConversation(
  /** A server process, or a cluster target (its balancer's address, its processes' CPU). */
  server: Pick<ServerProcess, 'wsBase' | 'origin' | 'cpuMs'>,
  authors: readonly [Account, Account],
  doc: string,
  total: number,
  turn: number,
  socketsPerAuthor: number,
  progress: (done: number) => void = () => undefined,
  /** The text of message number `n` (0-based); default: "seed <n>" and filler words. */
  textOf?: (n: number) => string,
): Promise<SeedResult> {
  const clientIds = authors.map(() => 1 + Math.floor(Math.random() * 0x7ffffffe));
  let sealedTo: string | null = null;
  const docs = [doc];
  const open = (name: string): Seeder[][] =>
    authors.map((acc, k) =>
      Array.from({ length: socketsPerAuthor }, () => {
        // `client` is assigned just below: its ack callback needs `s`.
        const s: Seeder = { client: null as unknown as SyncClient, sent: [], waiter: null };
        s.client = new SyncClient({
          wsBase: server.wsBase,
          origin: server.origin,
          doc: name,
          cookie: acc.cookie,
          userId: acc.user.id,
          withDoc: false,
          awareness: false,
          clientId: clientIds[k],
          onSealed: (live) => {
            // Every socket of the sealed document is told, some after the move began: only a
            // document not moved to yet is a move.
            if (!docs.includes(live)) sealedTo = live;
          },
          onAck: (clock) => {
            if (s.waiter && clock >= s.waiter.clock) {
              const w = s.waiter;
              s.waiter = null;
              w.resolve();
            }
          },
        });
        return s;
      }),
    );
  let seeders = open(doc);
  await Promise.all(seeders.flat().map((s) => s.client.connect()));
  let appender = new RawAppender();
  const ats = new Float64Array(total);
  const ids: string[] = new Array<string>(total);
  const pad = 'lorem ipsum dolor sit amet, consectetur adipiscing';
  const cpu0 = server.cpuMs();
  const t0 = performance.now();
  let done = 0;
  let frames = 0;
  let rotation = 0;
  try {
    for (let t = 0; done < total; t++) {
      const k = t % 2;
      const author = authors[k]!;
      const contents: ChatMessage[] = [];
      for (let i = 0; i < turn && done < total; i++, done++) {
        const at = Date.now();
        const m: ChatMessage = {
          id: newMessageId(at),
          from: author.user.id,
          text: textOf ? textOf(done) : `seed ${done} ${pad}`,
          at,
        };
        ats[done] = at;
        ids[done] = m.id;
        contents.push(m);
      }
      const update = appender.append(clientIds[k]!, contents);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MessageType.sync);
      syncProtocol.writeUpdate(enc, update);
      const frame = encoding.toUint8Array(enc);
      // The least recently used socket of this author that is under the frame limit.
      let s: Seeder | null = null;
      for (;;) {
        const now = Date.now();
        for (let j = 0; j < socketsPerAuthor && !s; j++) {
          const c = seeders[k]![(rotation + j) % socketsPerAuthor]!;
          while (c.sent.length > 0 && now - c.sent[0]! > WINDOW_MS) c.sent.shift();
          if (c.sent.length < FRAMES_PER_WINDOW) s = c;
        }
        if (s) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      rotation++;
      if (!s.client.open)
        throw new Error(`seeding socket closed by the server (code ${s.client.closeCode})`);
      const target = appender.clockOf(clientIds[k]!);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no ack for a seeding update within 15 s (${done} messages seeded)`)),
          15_000,
        );
        s.waiter = {
          clock: target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        s.sent.push(Date.now());
        s.client.sendRaw(frame);
      });
      frames++;
      if (frames % 1000 === 0) progress(done);
      if (sealedTo !== null) {
        // The server sealed the document: continue in the live one, with a fresh item chain.
        const next: string = sealedTo;
        sealedTo = null;
        docs.push(next);
        for (const x of seeders.flat()) x.client.close();
        await Promise.all(seeders.flat().map((x) => x.client.closed()));
        seeders = open(next);
        await Promise.all(seeders.flat().map((x) => x.client.connect()));
        appender = new RawAppender();
      }
    }
  } finally {
    for (const s of seeders.flat()) s.client.close();
    await Promise.all(seeders.flat().map((s) => s.client.closed()));
  }
  return {
    messages: total,
    frames,
    ms: performance.now() - t0,
    serverCpuMs: server.cpuMs() - cpu0,
    ats,
    ids,
    docs,
  };
}
