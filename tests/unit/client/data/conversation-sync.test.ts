/**
 * ConversationSync against a tiny in-test WebSocket server that speaks the y-websocket
 * sync protocol plus Parley's ack (100): close codes, reconnects and the "sent" state,
 * with the real WebsocketProvider (no mocked socket layer).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { Conversation } from '../../../../client/data/conversation';
import { frame, reconnectDelay } from '../../../../client/data/sync-protocol';
import { QUOTA_REFUSAL } from '../../../../client/data/conversation-sync';
import { MessageType } from '../../../../shared/protocol';
import { memoryPersistence } from './helpers';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const CONV = 'c_aaaaaaaaaaaaaaaaaaaa';

type Behaviour = (socket: WebSocket, attempt: number) => void;

/** A one-document server: answers sync messages and acks every update with its state vector. */
async function startServer(behaviour: Behaviour) {
  const doc = new Y.Doc();
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  let attempts = 0;
  wss.on('connection', (socket) => {
    attempts++;
    socket.on('message', (raw: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(raw));
      const type = decoding.readVarUint(decoder);
      if (type !== MessageType.sync) return;
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MessageType.sync);
      syncProtocol.readSyncMessage(decoder, reply, doc, 'client');
      if (encoding.length(reply) > 1) socket.send(encoding.toUint8Array(reply));
      socket.send(frame(MessageType.ack, Y.encodeStateVector(doc)));
    });
    behaviour(socket, attempts);
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    doc,
    url: `ws://127.0.0.1:${port}/sync`,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

/** The server's half of the handshake: send sync step 1 like Parley's room does. */
const greet: Behaviour = (socket) => {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.sync);
  syncProtocol.writeSyncStep1(enc, new Y.Doc());
  socket.send(encoding.toUint8Array(enc));
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function conversation(url: string, providers: WebsocketProvider[] = []): Conversation {
  const c = new Conversation({
    id: CONV,
    docName: CONV,
    me: ALICE,
    sync: {
      syncUrl: url,
      window: null,
      createPersistence: () => memoryPersistence(),
      createProvider: ({ url: u, docName, doc, awareness }) => {
        const p = new WebsocketProvider(u, docName, doc, {
          connect: false,
          awareness,
          disableBc: true,
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        });
        providers.push(p);
        return p;
      },
    },
  });
  cleanups.push(() => c.destroy());
  return c;
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ConversationSync', () => {
  it('sends what was written before connecting and shows it sent once the server acks', async () => {
    const server = await startServer(greet);
    cleanups.push(server.close);
    const c = conversation(server.url);
    const opening = c.open();
    const id = c.send('written before the socket opened');
    await opening;
    await until(() => c.snapshot.status === 'synced');
    await until(() => c.snapshot.messages[0]?.state === 'sent');
    expect(c.snapshot.messages[0]?.id).toBe(id);
    expect(server.doc.getArray('messages').length).toBe(1);
  });

  it('stops for good and says so when the server closes with 4401', async () => {
    const server = await startServer((socket) => socket.close(4401, 'sign in again'));
    cleanups.push(server.close);
    const providers: WebsocketProvider[] = [];
    const c = conversation(server.url, providers);
    await c.open();
    await until(() => c.snapshot.status === 'unauthenticated');
    // Stopped for good: the provider no longer wants a connection, so neither its own
    // retry nor ours (which checks the status first) can open one.
    await until(() => providers.every((p) => !p.shouldConnect && p.ws === null));
    expect(providers).toHaveLength(1);
    expect(server.attempts()).toBe(1);
  });

  it('reports forbidden on 4403', async () => {
    const server = await startServer((socket) => socket.close(4403, 'not a participant'));
    cleanups.push(server.close);
    const c = conversation(server.url);
    await c.open();
    await until(() => c.snapshot.status === 'forbidden');
  });

  it('keeps the change and stops when the server refuses an update (4400)', async () => {
    const server = await startServer((socket) => socket.close(4400, 'message from someone else'));
    cleanups.push(server.close);
    const c = conversation(server.url);
    await c.open();
    await until(() => c.snapshot.refused !== null);
    expect(c.snapshot).toMatchObject({ status: 'offline', refused: 'message from someone else' });
  });

  it('says the storage quota is full and stops on 4413, keeping unsent messages', async () => {
    const server = await startServer((socket) => socket.close(4413, 'storage quota exceeded'));
    cleanups.push(server.close);
    const c = conversation(server.url);
    await c.open();
    await until(() => c.snapshot.refused !== null);
    expect(c.snapshot).toMatchObject({ status: 'offline', refused: QUOTA_REFUSAL });
  });

  it('reconnects after "slow down" (1013) and then syncs', async () => {
    const server = await startServer((socket, attempt) => {
      if (attempt === 1) socket.close(1013, 'slow down');
      else greet(socket, attempt);
    });
    cleanups.push(server.close);
    const c = conversation(server.url);
    await c.open();
    await until(() => c.snapshot.status === 'synced');
    expect(server.attempts()).toBe(2);
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially to a cap, with ±50 % jitter', () => {
    expect(reconnectDelay(1, () => 0.5)).toBe(200);
    expect(reconnectDelay(3, () => 0.5)).toBe(800);
    expect(reconnectDelay(20, () => 0.5)).toBe(5000);
    expect(reconnectDelay(3, () => 0)).toBe(400);
    expect(reconnectDelay(3, () => 0.999)).toBeLessThan(1200);
  });
});
