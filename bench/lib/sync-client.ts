/**
 * A lean client of Parley's sync endpoint: the y-websocket wire protocol (sync step 1/2,
 * updates, awareness) spoken over `ws` with the encoders y-websocket itself uses, without
 * the provider's reconnect loop, BroadcastChannel and per-provider timers. One socket per
 * document, cookie and Origin on the upgrade, like the browser client.
 *
 * With `withDoc` it keeps a Y.Doc: messages are appended with Yjs and remote ones observed
 * as they are integrated. Without, it only completes the handshake (idle connections,
 * seeding through raw updates) and never decodes what the server relays.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '../../shared/protocol';
import { newMessageId, type AttachmentRef, type ChatMessage } from '../../shared/schema';
import { nowMs } from './util';
import { updateFrame } from '../../shared/frames';
import { ReceiptSender } from './receipts';

export interface SyncClientOptions {
  /** ws://host:port/sync */
  wsBase: string;
  doc: string;
  cookie: string;
  origin: string;
  userId: string;
  withDoc: boolean;
  /** Without a Y.Doc: the Yjs client id whose acknowledged clock to track (default random). */
  clientId?: number;
  /** Announce an awareness state on connect and renew it every 15 s, as y-websocket does. */
  awareness: boolean;
  /** A remote message was integrated into the Y.Doc (withDoc only). */
  onRemote?: (m: ChatMessage, now: number) => void;
  /** The server acknowledged this client's updates up to `clock` (exclusive). */
  onAck?: (clock: number, now: number) => void;
  /** The server sealed this document (type 102); `live` names the conversation's live one. */
  onSealed?: (live: string) => void;
  /**
   * withDoc: send delivery receipts (type 101) and move the read marker as the client does
   * with the conversation open and visible (bench/lib/receipts.ts).
   */
  receipts?: boolean;
}

const AWARENESS_RENEW_MS = 15_000;

function frame(type: number, write: (enc: encoding.Encoder) => void): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, type);
  write(enc);
  return encoding.toUint8Array(enc);
}

const EMPTY_STEP1 = frame(MessageType.sync, (e) =>
  syncProtocol.writeSyncStep1(e, new Y.Doc({ gc: true })),
);
const EMPTY_STEP2 = frame(MessageType.sync, (e) =>
  syncProtocol.writeSyncStep2(e, new Y.Doc({ gc: true })),
);

export class SyncClient {
  readonly doc: Y.Doc | null;
  readonly clientId: number;
  ws: WebSocket | null = null;
  synced = false;
  tStart = 0;
  tOpen = 0;
  tFirstFrame = 0;
  tSynced = 0;
  /** Close code from the server (or 1006), when the socket closed. */
  closeCode: number | null = null;
  /** Clock of this client acknowledged by the server. */
  ackedClock = 0;
  framesIn = 0;
  /**
   * y-protocols ignores a first state with clock 0 (it only takes a clock above the one it
   * holds, 0 for an unknown client): y-websocket's Awareness sends its first state at 1.
   */
  private awarenessClock = 1;
  private renew: ReturnType<typeof setInterval> | null = null;
  private readonly receipts: ReceiptSender | null;

  constructor(readonly opts: SyncClientOptions) {
    this.doc = opts.withDoc ? new Y.Doc({ gc: true }) : null;
    this.clientId = this.doc
      ? this.doc.clientID
      : (opts.clientId ?? Math.floor(Math.random() * 0xffffffff));
    this.receipts =
      this.doc && opts.receipts
        ? new ReceiptSender(this.doc, opts.userId, (data) => this.sendRaw(data))
        : null;
    if (this.doc) {
      const doc = this.doc;
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== this) this.sendRaw(updateFrame(update));
      });
      if (opts.onRemote || this.receipts) {
        const messages = doc.getArray<ChatMessage>('messages');
        doc.on('afterTransaction', (tr: Y.Transaction) => {
          if (tr.origin !== this) return;
          const now = nowMs();
          let changed = tr.deleteSet.clients.size > 0;
          let peerWrote = false;
          tr.afterState.forEach((after, client) => {
            let clock = tr.beforeState.get(client) ?? 0;
            if (clock < after) changed = true;
            while (clock < after) {
              const item = Y.getItem(doc.store, Y.createID(client, clock));
              const start = clock - item.id.clock;
              const end = Math.min(item.length, after - item.id.clock);
              if (
                item instanceof Y.Item &&
                !item.deleted &&
                item.parent === messages &&
                item.content instanceof Y.ContentAny
              ) {
                const values = item.content.getContent();
                for (let i = start; i < end; i++) {
                  const m = values[i] as ChatMessage;
                  if (m.from !== opts.userId) peerWrote = true;
                  opts.onRemote?.(m, now);
                }
              }
              clock = item.id.clock + end;
            }
          });
          if (changed) this.receipts?.remoteUpdate(tr.changed.has(messages), peerWrote);
        });
      }
    }
  }

  /** Open the socket and resolve once the server's sync step 2 arrived. */
  connect(timeoutMs = 30_000): Promise<void> {
    const { wsBase, doc, cookie, origin } = this.opts;
    this.tStart = nowMs();
    const ws = new WebSocket(`${wsBase}/${doc}`, {
      headers: { Cookie: cookie, Origin: origin },
      perMessageDeflate: false,
    });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`sync handshake timed out after ${timeoutMs} ms`));
        ws.terminate();
      }, timeoutMs);
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      ws.on('unexpected-response', (_req, res) => {
        settle(new Error(`upgrade refused with HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.on('error', (err) => settle(err));
      ws.on('open', () => {
        this.tOpen = nowMs();
        this.sendRaw(
          this.doc
            ? frame(MessageType.sync, (e) => syncProtocol.writeSyncStep1(e, this.doc!))
            : EMPTY_STEP1,
        );
        if (this.opts.awareness) {
          this.sendAwareness();
          this.renew = setInterval(() => this.sendAwareness(), AWARENESS_RENEW_MS);
          this.renew.unref();
        }
      });
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        if (this.renew) clearInterval(this.renew);
        settle(new Error(`socket closed with ${code} ${reason.toString()} before sync`));
      });
      ws.on('message', (data: Buffer) => {
        try {
          this.onFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        } catch (e) {
          settle(e as Error);
          ws.close(1000);
          return;
        }
        if (this.synced) settle();
      });
    });
  }

  private onFrame(data: Uint8Array): void {
    this.framesIn++;
    if (this.tFirstFrame === 0) this.tFirstFrame = nowMs();
    const dec = decoding.createDecoder(data);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MessageType.sync: {
        if (this.doc) {
          const enc = encoding.createEncoder();
          encoding.writeVarUint(enc, MessageType.sync);
          const sub = syncProtocol.readSyncMessage(dec, enc, this.doc, this);
          if (encoding.length(enc) > 1) this.sendRaw(encoding.toUint8Array(enc));
          if (sub === syncProtocol.messageYjsSyncStep2) this.markSynced();
        } else {
          const sub = decoding.readVarUint(dec);
          if (sub === syncProtocol.messageYjsSyncStep1) this.sendRaw(EMPTY_STEP2);
          else if (sub === syncProtocol.messageYjsSyncStep2) this.markSynced();
        }
        return;
      }
      case MessageType.ack: {
        const sv = Y.decodeStateVector(decoding.readVarUint8Array(dec));
        const clock = sv.get(this.clientId) ?? 0;
        if (clock > this.ackedClock) {
          this.ackedClock = clock;
          this.opts.onAck?.(clock, nowMs());
        }
        return;
      }
      case MessageType.sealed:
        this.opts.onSealed?.(decoding.readVarString(dec));
        return;
      default:
        // awareness, received (101), query: read nothing more; the bench does not use them.
        return;
    }
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.tSynced = nowMs();
    this.receipts?.synced();
  }

  private sendAwareness(): void {
    const state = JSON.stringify({ viewing: true, typing: false });
    const clock = this.awarenessClock++;
    this.sendRaw(
      frame(MessageType.awareness, (e) => {
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, this.clientId);
        encoding.writeVarUint(inner, clock);
        encoding.writeVarString(inner, state);
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
      }),
    );
  }

  sendRaw(data: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Append one message with Yjs (withDoc); returns this client's clock after it. */
  sendMessage(text: string, attachments?: AttachmentRef[]): number {
    const doc = this.doc;
    if (!doc) throw new Error('sendMessage needs withDoc');
    const arr = doc.getArray<ChatMessage>('messages');
    const m: ChatMessage = { id: newMessageId(), from: this.opts.userId, text, at: Date.now() };
    if (attachments) m.attachments = attachments;
    doc.transact(() => arr.insert(arr.length, [m]));
    return Y.getState(doc.store, doc.clientID);
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  close(): void {
    if (this.renew) clearInterval(this.renew);
    this.receipts?.stop();
    this.ws?.close(1000);
  }

  /** Resolve when the socket is closed (or after `timeoutMs`). */
  closed(timeoutMs = 5000): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, timeoutMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.close();
    this.doc?.destroy();
  }
}
