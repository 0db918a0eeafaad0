/**
 * The WebSocket side: authorizes `/sync/<doc>` upgrades (Origin, session, membership)
 * before any Y.Doc is touched, then runs the per-socket loop (ping/pong, size cap,
 * rate limits, one room per document).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, Limits, docNameOf, parseSyncPath } from '../../shared/protocol';
import type { Sessions } from '../auth/session';
import type { ConversationRow, ConversationStore } from '../store/conversation-store';
import type { Presence } from '../presence';
import type { Logger } from '../logger';
import type { RoomRegistry } from './room-registry';
import type { Peer, Room } from './room';
import { UserBudgets, newBudgets } from './byte-budget';

export interface SyncDeps {
  sessions: Sessions;
  conversations: ConversationStore;
  rooms: RoomRegistry;
  presence: Presence;
  log: Logger;
  isAllowedOrigin: (origin: string | undefined) => boolean;
  /** May `userId` connect to this conversation now? False when the other participant blocked them. */
  mayConnect: (userId: string, conversation: ConversationRow) => Promise<boolean>;
  /** Read what the user's sockets need before their first frame (the storage quota's usage). */
  prepareUser: (userId: string) => Promise<void>;
  /** Most open sockets per user. */
  maxSocketsPerUser: number;
  /** Per socket: most frames in a 10-second window before it is closed with 1013. */
  maxFramesPer10s: number;
}

interface Connection extends Peer {
  readonly sid: string;
  readonly doc: string;
  readonly ws: WebSocket;
}

export class SyncServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxFrameBytes });
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly budgets = new UserBudgets();

  constructor(private readonly deps: SyncDeps) {
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (ws: WebSocket) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
    // Drop connections that stopped answering pings.
    this.heartbeat = setInterval(() => {
      this.budgets.prune(Date.now());
      for (const ws of this.wss.clients) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    }, 30_000);
    this.heartbeat.unref();
  }

  /** The HTTP server's 'upgrade' handler. */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    void this.upgrade(req, socket, head).catch((err: unknown) => {
      this.deps.log.error('upgrade failed', { error: String(err) });
      socket.destroy();
    });
  };

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/sync/')) return refuse(socket, 404, 'Not Found');
    // Requests that are not the app's own: refuse the handshake itself.
    if (!this.deps.isAllowedOrigin(req.headers.origin)) return refuse(socket, 403, 'Forbidden');
    if (!req.headers.cookie) return refuse(socket, 401, 'Unauthorized');
    const doc = parseSyncPath(url.pathname);
    const session = await this.deps.sessions.fromUpgrade(req);
    // Past this point the browser must be able to tell why: accept, then close with a code.
    const accept = (): Promise<WebSocket> =>
      new Promise((resolve) => this.wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
    if (!session) {
      (await accept()).close(CloseCode.unauthenticated, 'sign in again');
      return;
    }
    const conversation = doc ? await this.deps.conversations.byId(doc.conversationId) : null;
    const uid = session.user.id;
    if (
      !doc ||
      !conversation ||
      doc.epoch > conversation.epoch ||
      (conversation.userA !== uid && conversation.userB !== uid) ||
      !(await this.deps.mayConnect(uid, conversation))
    ) {
      (await accept()).close(CloseCode.forbidden, 'not a participant');
      return;
    }
    if (this.deps.presence.count(uid) >= this.deps.maxSocketsPerUser) {
      (await accept()).close(CloseCode.tryAgainLater, 'too many connections');
      return;
    }
    const ws = await accept();
    this.wss.emit('connection', ws, req);
    // The room may have to be read from the storage first: frames that arrive meanwhile wait,
    // up to a bound (a client sends little before the server's sync step 1).
    ws.binaryType = 'nodebuffer';
    const early: [Buffer, boolean][] = [];
    let earlyBytes = 0;
    const collect = (raw: Buffer, isBinary: boolean): void => {
      earlyBytes += raw.byteLength;
      if (earlyBytes > Limits.maxFramesBytesWhileLoading) {
        ws.close(CloseCode.tryAgainLater, 'document still loading, try again');
        return;
      }
      early.push([raw, isBinary]);
    };
    ws.on('message', collect);
    let room: Room;
    try {
      [room] = await Promise.all([
        this.deps.rooms.getOrLoad(
          docNameOf(conversation.id, doc.epoch),
          conversation.id,
          [conversation.userA, conversation.userB],
          doc.epoch,
          conversation.epoch,
        ),
        this.deps.prepareUser(uid),
      ]);
    } catch (err) {
      this.deps.log.error('loading a room failed', { doc: url.pathname, error: String(err) });
      ws.close(1011, 'server error, reconnect later');
      return;
    }
    ws.off('message', collect);
    if (ws.readyState !== ws.OPEN) {
      this.deps.rooms.release(room);
      return;
    }
    this.attach(ws, socket, room, session.user.id, session.user.displayName, session.sid, early);
  }

  private attach(
    ws: WebSocket,
    socket: Duplex,
    room: Room,
    userId: string,
    displayName: string,
    sid: string,
    early: [Buffer, boolean][] = [],
  ): void {
    const { log, presence } = this.deps;
    let frames = 0;
    let windowStart = Date.now();
    // Byte budgets of this socket and of all the user's sockets (byte-budget.ts).
    const mine = newBudgets();
    const theirs = this.budgets.of(userId);
    // Backpressure: a socket that does not read makes the server hold all it is sent. Past
    // `maxSocketBufferBytes` it is terminated, not closed: a close frame would queue behind
    // the backlog and the close handshake would keep the memory for its 30 s timeout.
    const tooFull = (): boolean => ws.bufferedAmount > Limits.maxSocketBufferBytes;
    const drop = (): void => {
      log.warn('slow reader dropped', { doc: room.name, user: userId });
      ws.terminate();
    };
    // One frame larger than the limit (a big document's first sync) is sent, but must drain
    // within `drainTimeoutMs`.
    let drainCheck: ReturnType<typeof setTimeout> | null = null;
    const watchDrain = (): void => {
      if (drainCheck || !tooFull()) return;
      drainCheck = setTimeout(() => {
        drainCheck = null;
        if (tooFull()) drop();
      }, Limits.drainTimeoutMs);
      drainCheck.unref();
    };
    // Frames sent to this socket in one tick (a relay and an ack of the same commit, sync
    // step 2 and awareness on join) leave in one write: cork on the first, uncork after the tick.
    let corked = false;
    const uncork = (): void => {
      corked = false;
      socket.uncork();
      watchDrain();
    };
    const slowDown = (what: string): void => {
      log.warn('byte budget exceeded', { doc: room.name, user: userId, what });
      if (tooFull()) drop();
      else ws.close(CloseCode.tryAgainLater, 'slow down');
    };
    const conn: Connection = {
      userId,
      displayName,
      sid,
      doc: room.name,
      ws,
      awarenessClients: new Set(),
      send: (data) => {
        if (ws.readyState !== ws.OPEN) return;
        if (!corked) {
          // The backlog of earlier ticks; what this tick sends counts from the next one.
          if (tooFull()) return drop();
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        ws.send(data);
      },
      close: (code, reason) => ws.close(code, reason),
      spendSyncAnswer: (bytes) => {
        const now = Date.now();
        const ok =
          mine.syncAnswers.spend(bytes, Limits.maxSyncAnswerBytesPerSocket, now) &&
          theirs.syncAnswers.spend(bytes, Limits.maxSyncAnswerBytesPerUser, now);
        if (!ok) slowDown('sync answers');
        return ok;
      },
    };
    this.connections.add(conn);
    presence.connected(userId);
    const onMessage = (raw: Buffer, isBinary: boolean): void => {
      if (ws.readyState !== ws.OPEN) return; // closing: what is still queued is not handled
      const now = Date.now();
      if (now - windowStart > 10_000) {
        windowStart = now;
        frames = 0;
      }
      if (++frames > this.deps.maxFramesPer10s) {
        ws.close(CloseCode.tryAgainLater, 'slow down');
        return;
      }
      if (
        !mine.incoming.spend(raw.byteLength, Limits.maxIncomingBytesPerSocket, now) ||
        !theirs.incoming.spend(raw.byteLength, Limits.maxIncomingBytesPerUser, now)
      ) {
        slowDown('incoming bytes');
        return;
      }
      if (!isBinary) {
        ws.close(CloseCode.invalidUpdate, 'text frames are not part of the protocol');
        return;
      }
      try {
        room.handleMessage(conn, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      } catch (err) {
        log.warn('malformed frame', { doc: room.name, user: userId, error: String(err) });
        ws.close(CloseCode.invalidUpdate, 'malformed message');
      }
    };
    ws.on('message', onMessage);
    ws.on('error', (err) => log.debug('socket error', { error: String(err) }));
    ws.on('close', () => {
      if (drainCheck) clearTimeout(drainCheck);
      this.connections.delete(conn);
      presence.disconnected(userId);
      if (room.leave(conn)) this.deps.rooms.release(room);
    });
    room.join(conn);
    for (const [raw, isBinary] of early) onMessage(raw, isBinary);
  }

  /** Close `userId`'s sockets on every document of a conversation (they were blocked there). */
  closeConversation(userId: string, conversationId: string, code: number, reason: string): void {
    for (const c of this.connections)
      if (c.userId === userId && conversationOf(c.doc) === conversationId) c.close(code, reason);
  }

  /** Close the sockets of one session, or of every session of the user but `except` when `sid` is null. */
  revoke(userId: string, sid: string | null, except?: string): void {
    for (const c of this.connections) {
      if (c.userId !== userId || (sid !== null && c.sid !== sid) || c.sid === except) continue;
      c.close(CloseCode.unauthenticated, 'signed out');
    }
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Close every socket (server shutdown) and wait for their close handlers; clients reconnect later. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.connections) c.close(CloseCode.goingAway, 'server restarting');
    const deadline = Date.now() + 2000;
    while (this.connections.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    for (const ws of this.wss.clients) ws.terminate();
    while (this.connections.size > 0 && Date.now() < deadline + 1000)
      await new Promise((r) => setTimeout(r, 20));
    this.wss.close();
  }
}

/** The conversation id of a document name (`<id>` or `<id>.<epoch>`). */
function conversationOf(doc: string): string {
  const dot = doc.indexOf('.');
  return dot < 0 ? doc : doc.slice(0, dot);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
