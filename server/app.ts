/**
 * The composition root: config -> store -> auth -> http -> sync. `createApp` returns a
 * started server and `close()`; tests build as many as they like (no module state).
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as Y from 'yjs';
import type { Config } from './config';
import { openDatabase, type Db } from './store/database';
import { SqliteDocStore } from './store/sqlite-doc-store';
import { WriteBatcher } from './store/write-batcher';
import { StorageQuota } from './store/storage-quota';
import { Checkpointer } from './store/checkpointer';
import { UserStore } from './store/user-store';
import { ConversationStore } from './store/conversation-store';
import { LocalUpdateBus } from './bus/local-update-bus';
import type { Bus } from './bus/update-bus';
import { Passwords } from './auth/passwords';
import { Sessions } from './auth/session';
import { memoryLimiters } from './auth/limiter';
import { Presence } from './presence';
import { EventHub } from './events';
import { People } from './people';
import { PeopleStore } from './store/people-store';
import { contactsRouter } from './http/routes-contacts';
import { CloseCode, Limits } from '../shared/protocol';
import { RoomRegistry } from './sync/room-registry';
import { SyncServer } from './sync/upgrade';
import { authRouter } from './http/routes-auth';
import { peopleRouter } from './http/routes-people';
import { errorMiddleware, originCheck, securityHeaders } from './http/middleware';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';

export interface App {
  server: Server;
  port: number;
  origin: string;
  db: Db;
  rooms: RoomRegistry;
  sync: SyncServer;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  log?: Logger;
  bus?: Bus;
}

export async function createApp({
  config,
  log = createLogger('info'),
  bus = new LocalUpdateBus(),
}: AppOptions): Promise<App> {
  const dbFile = join(config.dataDir, 'parley.db');
  const db = openDatabase(dbFile);
  const checkpointer = new Checkpointer(db, dbFile, log);
  const users = new UserStore(db);
  const conversations = new ConversationStore(db);
  const docStore = new SqliteDocStore(db);
  const passwords = new Passwords(config.bcryptCost);
  const sessions = new Sessions(config.sessionSecret, config.secure, users);
  const presence = new Presence(users, config.presenceGraceMs);
  const events = new EventHub();
  const people = new People(users, new PeopleStore(db), conversations, presence, events);
  const writes = new WriteBatcher(db, log, config.commitGapMs);
  const quota = new StorageQuota(db, config.userQuotaBytes);
  writes.beforeCommit(() => quota.flush());
  const rooms = new RoomRegistry({
    visible: (viewer, subject) => people.canSee(viewer, subject),
    onProjection: (conversationId, fx) => {
      if (fx.added.length > 0 && people.store.anyHidden(conversationId)) {
        people.store.unhideConversation(conversationId);
      }
      people.notifyConversation(conversationId);
    },
    epochMessages: config.epochMessages,
    onSealed: (conversationId) => people.notifyConversation(conversationId),
    store: docStore,
    conversations,
    bus,
    log,
    compactAfter: config.compactAfter,
    writes,
    quota,
  });

  let boundPort = config.port;
  const isAllowedOrigin = (origin: string | undefined): boolean => {
    if (!origin) return false;
    if (config.publicOrigin) return origin === config.publicOrigin;
    return origin === `http://localhost:${boundPort}` || origin === `http://127.0.0.1:${boundPort}`;
  };

  const sync = new SyncServer({
    sessions,
    conversations,
    rooms,
    presence,
    log,
    isAllowedOrigin,
    mayConnect: (userId, c) => !people.store.hasBlocked(people.peerOf(c, userId), userId),
    maxSocketsPerUser: 50,
    maxFramesPer10s: 2000,
  });

  const app = express();
  app.disable('x-powered-by');
  // req.ip (the key of every throttle) is the forwarded client only behind a trusted proxy.
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config.secure));
  // Public and cheap: says the process answers, nothing about its load (finding 18).
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const api = express.Router();
  api.use(originCheck(isAllowedOrigin));
  api.use(express.json({ limit: Limits.maxJsonBytes }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // One process: limits in memory. Cluster mode will pass a Redis-backed `LimiterFactory` here.
  const limiter = memoryLimiters;
  api.use(
    authRouter({
      users,
      passwords,
      sessions,
      loginByAccount: limiter('login-account', { points: config.loginMaxFailures, seconds: 900 }),
      loginByAddress: limiter('login-address', {
        points: config.loginMaxFailures * 10,
        seconds: 900,
      }),
      registerByAddress: limiter('register-address', {
        points: config.registerMaxPerHour,
        seconds: 3600,
      }),
      revokeSockets: (userId, sid, except) => {
        sync.revoke(userId, sid, except);
        events.revoke(userId, sid, except);
      },
    }),
  );
  const sealedDocUpdate = (doc: string, sv: Uint8Array | null): Uint8Array => {
    const room = rooms.get(doc);
    if (room) return Y.encodeStateAsUpdate(room.doc, sv ?? undefined);
    // Not loaded: answer from the stored log without building a Y.Doc.
    const updates = docStore.loadUpdates(doc).map((u) => u.data);
    const merged = updates.length === 1 && updates[0] ? updates[0] : Y.mergeUpdates(updates);
    return sv ? Y.diffUpdate(merged, sv) : merged;
  };
  api.use(peopleRouter({ sessions, people, events, sealedDocUpdate }));
  api.use(
    contactsRouter({
      sessions,
      people,
      closeSockets: (blocked, blocker) => {
        const c = conversations.byPair(blocked, blocker);
        if (c) sync.closeOn(blocked, c.id, CloseCode.forbidden, 'blocked');
      },
    }),
  );
  people.onPolicyChange = (a, b) => {
    const c = conversations.byPair(a, b);
    if (c) rooms.get(c.id)?.refreshPolicy();
  };
  api.use((_req, _res, next) => next(new AppError('not-found', 'No such API route.')));
  app.use('/api', api);

  if (config.staticDir && existsSync(config.staticDir)) {
    const dir = config.staticDir;
    app.use(
      express.static(dir, {
        index: false,
        setHeaders: (res, path) => {
          if (path.includes(`${join(dir, 'assets')}`))
            res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
    // Missing files (an old tab asking for a chunk of a previous build) are 404, not the app shell.
    app.get(/^\/(assets\/.*|[^?]*\.[A-Za-z0-9]{1,8})$/, (_req, res) => {
      res.status(404).type('text/plain').send('Not found');
    });
    // The app shell for every client-side route.
    app.get(/^\/(?!api\/|sync\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dir, 'index.html'));
    });
  }
  app.use(errorMiddleware(log));

  const server = createServer(app);
  server.on('upgrade', sync.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${boundPort}`;
  log.info('listening', { url: config.publicOrigin ?? `http://${config.host}:${boundPort}` });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      server.close();
      events.closeAll();
      await sync.close();
      writes.flush();
      people.closeAll();
      presence.flush();
      rooms.closeAll();
      server.closeAllConnections();
      await bus.close();
      await checkpointer.close();
      db.close();
    })();
    return closing;
  };

  return { server, port: boundPort, origin, db, rooms, sync, close };
}
