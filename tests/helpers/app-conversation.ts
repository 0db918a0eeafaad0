/**
 * A person's conversation as the app builds it (`client/data/conversation.ts`), against a
 * real test server: memory persistence instead of IndexedDB, no tab channel, the person's
 * cookie on the socket. `providers` holds every socket provider it made, so a test can cut
 * the network.
 */
import { WebsocketProvider } from 'y-websocket';
import { Conversation, type ConversationOptions } from '../../client/data/conversation';
import type { ConversationSummary } from '../../shared/api';
import { memoryPersistence } from '../unit/client/data/helpers';
import { TestClient } from './client';
import { startTestServer, type TestServer } from './test-server';

export interface AppConversationOptions extends Partial<
  Omit<ConversationOptions, 'id' | 'me' | 'sync'>
> {
  /** The socket class (default: the person's, with their cookie). */
  socketClass?: typeof globalThis.WebSocket;
  /** `ConversationSyncOptions.receivedDelayMs`. */
  receivedDelayMs?: number;
}

export function appConversation(
  wsUrl: string,
  who: TestClient,
  convo: ConversationSummary,
  opts: AppConversationOptions = {},
): { c: Conversation; providers: WebsocketProvider[] } {
  const { socketClass, receivedDelayMs, ...rest } = opts;
  const providers: WebsocketProvider[] = [];
  const c = new Conversation({
    id: convo.id,
    docName: convo.doc,
    me: who.user!.id,
    ...rest,
    sync: {
      syncUrl: wsUrl,
      receivedDelayMs,
      window: null,
      createPersistence: () => memoryPersistence(),
      createChannel: null,
      createProvider: ({ url, docName, doc, awareness }) => {
        const p = new WebsocketProvider(url, docName, doc, {
          connect: false,
          awareness,
          disableBc: true,
          WebSocketPolyfill: socketClass ?? who.socketClass(),
        });
        providers.push(p);
        return p;
      },
    },
  });
  return { c, providers };
}

/** A test server with Alice and Bob signed up, and Alice's conversation with Bob. */
export interface AppPair {
  server: TestServer;
  alice: TestClient;
  bob: TestClient;
  /** A message request to Bob until he accepts it. */
  convo: ConversationSummary;
  /** Conversations the suite built; `close` destroys them. */
  opened: Conversation[];
  close(): Promise<void>;
}

export async function appPair(): Promise<AppPair> {
  const server = await startTestServer();
  const alice = new TestClient(server.origin);
  const bob = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  const convo = await alice.open(bob.user!.id);
  const opened: Conversation[] = [];
  return {
    server,
    alice,
    bob,
    convo,
    opened,
    close: async () => {
      await Promise.all(opened.map((c) => c.destroy()));
      alice.destroy();
      bob.destroy();
      await server.stop();
      server.cleanup();
    },
  };
}
