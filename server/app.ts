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
import type { Db } from './store/database';
import type { Storage } from './store/storage';
import { SqliteStorage } from './store/sqlite-storage';
import { WriteBatcher } from './store/write-batcher';
import { StorageQuota } from './store/storage-quota';
import { Checkpointer } from './store/checkpointer';
import { LocalUpdateBus } from './bus/local-update-bus';
import type { Bus } from './bus/update-bus';
import { LocalSignals } from './cluster/local-signals';
import type { Signal, Signals } from './cluster/signals';
import { Passwords } from './auth/passwords';
import { Sessions } from './auth/session';
import { memoryLimiters, type LimiterFactory } from './auth/limiter';
import { LocalPresence, type Presence } from './presence';
import { EventHub } from './events';
import { People } from './people';
import { AfterCommit } from './after-commit';
import { openAttachments, uploadTmpDir, type Attachments } from './attachments/open-attachments';
import { attachmentsRouter } from './http/routes-attachments';
import { privacyRouter } from './http/routes-privacy';
import { contactsRouter } from './http/routes-contacts';
import { pushRouter } from './http/routes-push';
import { loadVapidKeys } from './push/vapid';
import { PushSender } from './push/sender';
import { Notifier } from './push/notifier';
import { CloseCode, Limits, docNameOf } from '../shared/protocol';
import { RoomRegistry } from './sync/room-registry';
import { SyncServer } from './sync/upgrade';
import { accountRouter } from './http/routes-account';
import { authRouter } from './http/routes-auth';
import { recoveryRouter } from './http/routes-recovery';
import { adminRouter } from './http/routes-admin';
import { AdminActions } from './admin/actions';
import { AdminSignalPoller } from './admin/signal-table';
import { smtpMailer, type Mailer } from './auth/mailer';
import { peopleRouter } from './http/routes-people';
import { conversationPrefsRouter } from './http/routes-conversation-prefs';
import { searchRouter } from './http/routes-search';
import { profileRouter } from './http/routes-profile';
import { errorMiddleware, originCheck, securityHeaders } from './http/middleware';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { requestLog } from './http/request-log';
import { healthRouter, type ReadinessCheck } from './http/health';
import { metricsOnMainPort, startMetricsServer } from './http/metrics-route';

/** The metrics listener could not start (its port is taken). */
export class MetricsPortError extends Error {}

export interface App {
  server: Server;
  port: number;
  origin: string;
  storage: Storage;
  /** The SQLite connection in embedded mode (tests read rows with it); null on PostgreSQL. */
  db: Db | null;
  rooms: RoomRegistry;
  sync: SyncServer;
  /** Uploads: their rows, their bytes (BlobStore) and their lifecycle. */
  attachments: Attachments;
  /** Push notifications (tests wait for `idle()`). */
  notifier: Notifier;
  metrics: Metrics;
  /** The metrics-only listener's port (127.0.0.1), when METRICS_PORT is set. */
  metricsPort: number | null;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  log?: Logger;
  /** The storage; default: SQLite in `config.dataDir` (embedded mode). */
  storage?: Storage;
  /** Document fan-out to other processes; default: in-process. */
  bus?: Bus;
  /** User-level notices to every process; default: in-process. */
  signals?: Signals;
  /** Sign-in and registration limits; default: in this process's memory. */
  limiters?: LimiterFactory;
  /** Who is online; default: counted in this process (cluster mode passes RedisPresence). */
  presence?: Presence;
  /**
   * What `/readyz` checks, by name; default: the SQLite database answers. Cluster mode
   * passes PostgreSQL and Redis (server/cluster/open-cluster.ts).
   */
  readiness?: Record<string, ReadinessCheck>;
  /** Password-recovery mail; default: SMTP from `config.smtp`, or none. */
  mailer?: Mailer | null;
}

export async function createApp({
  config,
  log = createLogger('info'),
  storage: given,
  bus = new LocalUpdateBus(),
  signals = new LocalSignals(),
  limiters = memoryLimiters,
  presence: givenPresence,
  readiness,
  mailer = config.smtp ? smtpMailer(config.smtp) : null,
}: AppOptions): Promise<App> {
  const dbFile = join(config.dataDir, 'parley.db');
  const storage = given ?? SqliteStorage.open(dbFile);
  const db = storage instanceof SqliteStorage ? storage.db : null;
  const checkpointer = db ? new Checkpointer(db, dbFile, log) : null;
  const { users, conversations, docs: docStore } = storage;
  const passwords = new Passwords(config.bcryptCost);
  const sessions = new Sessions(config.sessionSecret, config.secure, users);
  const presence = givenPresence ?? new LocalPresence(users, config.presenceGraceMs);
  const events = new EventHub();
  const logFailure = (what: string, error: unknown): void =>
    log.error(`${what} failed`, { error: String(error) });
  const people = new People(
    users,
    storage.people,
    conversations,
    presence,
    events,
    signals,
    logFailure,
  );
  // Read at scrape time, when the sync server and the rooms (made below) exist.
  const metrics: Metrics = new Metrics(
    {
      sockets: () => sync.connectionCount,
      rooms: () => rooms.size,
      streams: () => events.count,
    },
    {
      cluster: config.cluster !== null,
      // Process and Node.js metrics sample the event loop and GC: only when someone can read them.
      defaults: config.metricsPort !== null || config.metricsToken !== null,
    },
  );
  const writes = new WriteBatcher(
    (w) => metrics.timeCommit(() => storage.commit(w)),
    log,
    config.commitGapMs,
  );
  people.editWindowMs = config.editWindowMs;
  const quota = new StorageQuota((userId) => storage.storedBytes(userId), config.userQuotaBytes);
  const afterCommit = new AfterCommit((e) => logFailure('an after-commit listener', e));
  afterCommit.on((event) => {
    if (event.kind === 'projected') metrics.messagesAccepted(event.effects.added.length);
    if (event.kind === 'projected' && event.effects.added.length > 0) {
      // A declined conversation comes back when its sender writes again.
      void (async () => {
        if (await people.store.anyHidden(event.conversationId))
          await people.store.unhideConversation(event.conversationId);
      })().catch((e: unknown) => logFailure('unhiding a conversation', e));
      // Replying to a message request accepts it (docs/security.md, "Message requests").
      const writers = new Set(event.effects.added.map((m) => m.from));
      for (const from of writers)
        people
          .replied(event.conversationId, from)
          .catch((e: unknown) => logFailure('accepting a replied request', e));
    }
    people.notifyConversation(event.conversationId); // new summary, or the new live `doc`
    if (event.kind === 'projected' && event.effects.added.length > 0) storage.search.indexSoon?.();
  });
  const attachments = openAttachments(storage, config, logFailure);
  afterCommit.on(attachments.lifecycle.onCommit);
  people.prefsOf = (userId, conversationId) => storage.prefs.get(userId, conversationId);
  people.viewerStateOf = (userId, conversationId) =>
    storage.prefs.viewerState(userId, conversationId);
  const pushSender = new PushSender(
    storage.push,
    await loadVapidKeys(config.push, storage.push),
    config.push,
    log,
  );
  storage.search.indexSoon?.(); // what an earlier run left unindexed
  const rooms = new RoomRegistry({
    // The validator checks each attachment's upload token.
    verifyAttachment: attachments.verify,
    visible: (viewer, subject) => people.canSee(viewer, subject),
    presenceVisible: (viewer, subject) => people.canSeePresence(viewer, subject),
    typingOn: (a, b) => people.typingBetween(a, b),
    afterCommit,
    epochMessages: config.epochMessages,
    store: docStore,
    conversations,
    bus,
    log,
    compactAfter: config.compactAfter,
    writes,
    quota,
    observe: metrics,
    editWindowMs: config.editWindowMs,
    editGraceMs: config.editGraceMs,
    // Typing reaches the other person's conversation list through their event streams.
    onTyping: (conversationId, userId, typing) =>
      signals.publish({ kind: 'typing', conversationId, userId, typing }),
  });
  const unobserveBus = [
    bus.onGap(() => metrics.busGap()),
    bus.onDelivered?.((lagMs) => metrics.busDelivered(lagMs)),
  ];

  const notifier = new Notifier({
    store: storage.push,
    people,
    sender: pushSender,
    viewers: (doc) => rooms.get(doc)?.viewers() ?? new Set(),
    log,
  });
  afterCommit.on(notifier.onCommit);
  people.onPrivateRead = (conversationId, userId) => notifier.readPrivately(conversationId, userId);

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
    mayConnect: async (userId, c) =>
      !(await people.store.hasBlocked(people.peerOf(c, userId), userId)),
    prepareUser: (userId) => quota.load(userId),
    maxSocketsPerUser: 50,
    maxFramesPer10s: 2000,
  });

  const app = express();
  app.disable('x-powered-by');
  // req.ip (the key of every throttle) is the forwarded client only behind a trusted proxy.
  app.set('trust proxy', config.trustProxy);
  // Was this socket's peer a trusted proxy? (Then its X-Request-Id is believed.)
  const trustFn = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  app.use(requestLog(log, (address) => address !== undefined && trustFn(address, 0)));
  app.use(securityHeaders(config.secure));
  // Public and cheap: say whether the process answers / can serve, nothing about its load.
  app.use(
    healthRouter(
      readiness ?? {
        database: () => {
          if (!db) throw new Error('no SQLite database');
          db.prepare('SELECT 1').get();
        },
      },
      log,
    ),
  );
  app.get('/metrics', metricsOnMainPort(metrics, config.metricsToken));
  const api = express.Router();
  api.use(originCheck(isAllowedOrigin));
  // Before the JSON parser: an upload's body is the file's bytes, streamed.
  api.use(
    attachmentsRouter({
      sessions,
      conversations,
      store: attachments.store,
      blobs: attachments.blobs,
      tokens: attachments.tokens,
      lifecycle: attachments.lifecycle,
      maxUploadBytes: config.maxUploadBytes,
      quotaBytes: config.attachmentQuotaBytes,
      tmpDir: uploadTmpDir(config.dataDir),
    }),
  );
  api.use(express.json({ limit: Limits.maxJsonBytes }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // In memory for one process; cluster mode passes limits kept in Redis (shared by every process).
  const limiter = limiters;
  const revokeSockets = (userId: string, sid: string | null, except?: string): void =>
    signals.publish({
      kind: 'revoke',
      userId,
      sid,
      ...(except !== undefined ? { except } : {}),
    });
  const actions = new AdminActions({
    storage,
    notify: (s) => signals.publish(s),
    origin: () => config.publicOrigin ?? `http://localhost:${boundPort}`,
    passwords,
  });
  api.use(
    recoveryRouter({
      users,
      admin: storage.admin,
      actions,
      passwords,
      sessions,
      mailer,
      forgotByAddress: limiter('forgot-address', { points: 10, seconds: 3600 }),
      forgotByAccount: limiter('forgot-account', { points: 3, seconds: 3600 }),
      resetByAddress: limiter('reset-address', { points: 20, seconds: 900 }),
      revokeSockets,
      log,
    }),
  );
  api.use(adminRouter({ sessions, actions }));
  // Password checks per account: sign-in, password change and account deletion share them.
  const loginByAccount = limiter('login-account', {
    points: config.loginMaxFailures,
    seconds: 900,
  });
  api.use(
    authRouter({
      users,
      admin: storage.admin,
      passwords,
      sessions,
      loginByAccount,
      loginByAddress: limiter('login-address', {
        points: config.loginMaxFailures * 10,
        seconds: 900,
      }),
      registerByAddress: limiter('register-address', {
        points: config.registerMaxPerHour,
        seconds: 3600,
      }),
      // Every process closes the sockets and streams it holds (signal `revoke`).
      revokeSockets,
    }),
  );
  api.use(
    accountRouter({
      sessions,
      passwords,
      people,
      conversations,
      actions,
      loginByAccount,
      revokeSockets,
    }),
  );
  /** A sealed document's content missing from `sv`; null when `sv` is not a state vector. */
  const sealedDocUpdate = async (
    doc: string,
    sv: Uint8Array | null,
  ): Promise<Uint8Array | null> => {
    try {
      const room = rooms.get(doc);
      if (room) return Y.encodeStateAsUpdate(room.doc, sv ?? undefined);
      // Not loaded: answer from the stored log without building a Y.Doc.
      const updates = (await docStore.loadUpdates(doc)).map((u) => u.data);
      const merged = updates.length === 1 && updates[0] ? updates[0] : Y.mergeUpdates(updates);
      return sv ? Y.diffUpdate(merged, sv) : merged;
    } catch {
      return null;
    }
  };
  api.use(peopleRouter({ sessions, people, events, sealedDocUpdate }));
  api.use(searchRouter({ sessions, people, search: storage.search }));
  api.use(conversationPrefsRouter({ sessions, people, store: storage.prefs }));
  api.use(contactsRouter({ sessions, people }));
  api.use(privacyRouter({ sessions, people }));
  api.use(
    profileRouter({
      sessions,
      users,
      people,
      changed: (userId) => signals.publish({ kind: 'profile', userId }),
    }),
  );
  api.use(
    pushRouter({
      sessions,
      people,
      store: storage.push,
      sender: pushSender,
      config: config.push,
    }),
  );

  /** Contacts, requests or blocks between `a` and `b` changed somewhere in the deployment. */
  const policyChanged = async (a: string, b: string): Promise<void> => {
    await people.policyChanged(a, b);
    const c = await conversations.byPair(a, b);
    if (!c) return;
    for (const room of rooms.all()) if (room.conversationId === c.id) room.refreshPolicy();
    // A block closes the blocked person's sockets on every document of the conversation.
    for (const [blocker, blocked] of [
      [a, b],
      [b, a],
    ] as const) {
      if (await people.store.hasBlocked(blocker, blocked))
        sync.closeConversation(blocked, c.id, CloseCode.forbidden, 'blocked');
    }
  };
  /** A deleted account's messages leave every document of its conversations (all epochs). */
  const eraseAccount = async (userId: string): Promise<void> => {
    for (const c of await conversations.forUser(userId)) {
      for (let epoch = 0; epoch <= c.epoch; epoch++) {
        const room = await rooms.getOrLoad(
          docNameOf(c.id, epoch),
          c.id,
          [c.userA, c.userB],
          epoch,
          c.epoch,
        );
        room.eraseAuthor(userId);
        rooms.release(room);
      }
    }
  };
  const onSignal = (s: Signal): void => {
    switch (s.kind) {
      case 'revoke':
        sync.revoke(s.userId, s.sid, s.except);
        events.revoke(s.userId, s.sid, s.except);
        return;
      case 'policy':
        policyChanged(s.a, s.b).catch((e: unknown) => logFailure('a policy change', e));
        return;
      case 'conversation':
        people
          .pushConversation(s.conversationId)
          .catch((e: unknown) => logFailure('a conversation push', e));
        return;
      case 'presence':
        return; // the presence seam (RedisPresence) subscribes to these itself
      case 'erase':
        eraseAccount(s.userId).catch((e: unknown) => logFailure('erasing a deleted account', e));
        return;
      case 'profile':
        people
          .profileChanged(s.userId)
          .catch((e: unknown) => logFailure('a profile change push', e));
        return;
      case 'typing':
        people
          .relayTyping(s.conversationId, s.userId, s.typing)
          .catch((e: unknown) => logFailure('a typing relay', e));
        return;
      case 'privacy':
        people
          .privacyApplied(s.userId)
          .then((ids) => {
            for (const room of rooms.all()) if (ids.has(room.conversationId)) room.refreshPolicy();
          })
          .catch((e: unknown) => logFailure('a privacy change', e));
        return;
    }
  };
  const unsubscribeSignals = signals.subscribe(onSignal);
  // Embedded mode: the admin CLI's signals arrive through the database (server/admin/signal-table.ts).
  const adminSignals = db ? new AdminSignalPoller(db, signals, log) : null;
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

  const metricsServer =
    config.metricsPort !== null
      ? await startMetricsServer(metrics, config.metricsPort, config.metricsToken).catch(
          (e: unknown) => {
            throw new MetricsPortError(
              `METRICS_PORT ${config.metricsPort} cannot be used (${(e as Error).message}). Set METRICS_PORT to a free port.`,
            );
          },
        )
      : null;
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
      metricsServer?.server.close();
      adminSignals?.stop();
      mailer?.close();
      events.closeAll();
      await sync.close();
      await writes.flush();
      await notifier.idle();
      await pushSender.close();
      people.closeAll();
      await presence.flush();
      rooms.closeAll();
      await attachments.lifecycle.stop();
      server.closeAllConnections();
      unsubscribeSignals();
      for (const stop of unobserveBus) stop?.();
      await bus.close();
      await signals.close();
      await checkpointer?.close();
      await storage.close();
    })();
    return closing;
  };

  attachments.lifecycle.start();
  return {
    server,
    port: boundPort,
    origin,
    storage,
    db,
    rooms,
    sync,
    attachments,
    notifier,
    metrics,
    metricsPort: metricsServer?.port ?? null,
    close,
  };
}
