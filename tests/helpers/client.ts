/**
 * A Node "device" for integration tests: HTTP with a cookie jar and the Origin header,
 * and real y-websocket providers over the `ws` package.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type { ConversationSummary, User } from '../../shared/api';
import { MessageType } from '../../shared/protocol';
import { newMessageId, type ChatMessage } from '../../shared/schema';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestClient {
  cookie: string | null = null;
  user: User | null = null;
  readonly providers: WebsocketProvider[] = [];

  constructor(
    readonly origin: string,
    /** The Origin header: the app's public origin (behind a balancer it is not the process's). */
    readonly appOrigin: string = origin,
  ) {}

  /** The same person (the same cookie) talking to another server process of a cluster. */
  via(origin: string): TestClient {
    const c = new TestClient(origin, this.appOrigin);
    c.cookie = this.cookie;
    c.user = this.user;
    return c;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        Origin: this.appOrigin,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const first = setCookie.split(';')[0] ?? '';
      this.cookie = first.endsWith('=') ? null : first;
    }
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: res.headers,
    };
  }

  async register(
    email: string,
    displayName: string,
    password = 'correct horse battery',
  ): Promise<User> {
    const r = await this.request<{ user: User }>('POST', '/api/auth/register', {
      email,
      password,
      displayName,
    });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.user = r.body.user;
    return r.body.user;
  }

  async open(peerId: string): Promise<ConversationSummary> {
    const r = await this.request<{ conversation: ConversationSummary }>(
      'POST',
      '/api/conversations',
      { peerId },
    );
    if (r.status !== 200 && r.status !== 201) throw new Error(`open failed: ${r.status}`);
    return r.body.conversation;
  }

  /** A WebSocket class that sends this client's cookie and Origin. */
  socketClass(extraHeaders: Record<string, string> = {}): typeof globalThis.WebSocket {
    const cookie = this.cookie;
    const origin = this.appOrigin;
    class CookieSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, {
          headers: { Origin: origin, ...(cookie ? { Cookie: cookie } : {}), ...extraHeaders },
        });
      }
    }
    // ws's WebSocket is API-compatible with the browser's for y-websocket's purposes.
    return CookieSocket as unknown as typeof globalThis.WebSocket;
  }

  /** Connect a fresh device (Y.Doc) to a document and wait for the first sync. */
  async connect(wsUrl: string, doc: string, ydoc = new Y.Doc()): Promise<Device> {
    const device = new Device(
      ydoc,
      new WebsocketProvider(wsUrl, doc, ydoc, {
        WebSocketPolyfill: this.socketClass(),
        disableBc: true,
      }),
    );
    this.providers.push(device.provider);
    await device.synced();
    return device;
  }

  destroy(): void {
    for (const p of this.providers) p.destroy();
  }
}

/** One connected Y.Doc with helpers to write and to watch acknowledgements. */
export class Device {
  ackedSv: Map<number, number> = new Map();
  /** The other participant's last reported state vector (type 101), or null. */
  peerReceived: Map<number, number> | null = null;
  closeCodes: number[] = [];
  /** The live document the server named when it said this one is sealed (type 102). */
  sealedTo: string | null = null;
  /** Whether everything this device wrote was acknowledged when the sealed notice came. */
  ackedAtSeal: boolean | null = null;

  constructor(
    readonly doc: Y.Doc,
    readonly provider: WebsocketProvider,
  ) {
    provider.messageHandlers[MessageType.ack] = (_enc, decoder) => {
      this.ackedSv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    };
    provider.messageHandlers[MessageType.received] = (_enc, decoder) => {
      this.peerReceived = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    };
    provider.messageHandlers[MessageType.sealed] = (_enc, decoder) => {
      this.sealedTo = decoding.readVarString(decoder);
      this.ackedAtSeal = this.allAcked();
    };
    provider.on('connection-close', (event) => {
      if (event) this.closeCodes.push(event.code);
    });
    const sync = provider.messageHandlers[MessageType.sync];
    if (sync)
      provider.messageHandlers[MessageType.sync] = (...args) => {
        this.syncFrames++;
        sync(...args);
      };
  }

  /** Sync frames received (answers to sync step 1, relayed updates). */
  private syncFrames = 0;

  /**
   * A barrier: send sync step 1 and wait for the server's answer. The server handles a
   * socket's frames in order and writes to it in order, so everything this socket sent
   * before was handled, and everything the server wrote to it before has arrived. (Only
   * where nobody else writes to the document meanwhile: a relayed update counts as well.)
   */
  async roundTrip(): Promise<void> {
    const before = this.syncFrames;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep1(e, this.doc);
    this.provider.ws?.send(encoding.toUint8Array(e));
    await waitFor(() => this.syncFrames > before, 5000, 'the answer to sync step 1');
  }

  get messages(): Y.Array<ChatMessage> {
    return this.doc.getArray<ChatMessage>('messages');
  }

  send(from: string, text: string, at = Date.now()): ChatMessage {
    const m: ChatMessage = { id: newMessageId(), from, text, at };
    this.messages.push([m]);
    return m;
  }

  texts(): string[] {
    return this.messages.toArray().map((m) => m.text);
  }

  synced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const h = (s: boolean): void => {
        if (s) {
          this.provider.off('sync', h);
          resolve();
        }
      };
      this.provider.on('sync', h);
    });
  }

  /** True when the server acknowledged everything this doc's own client wrote. */
  allAcked(): boolean {
    const mine = Y.getState(this.doc.store, this.doc.clientID);
    return (this.ackedSv.get(this.doc.clientID) ?? 0) >= mine;
  }

  /** Resolve with the close code the server sends next. */
  nextClose(): Promise<number> {
    return new Promise((resolve) => {
      const h = (event: CloseEvent | null): void => {
        if (event) {
          this.provider.off('connection-close', h);
          resolve(event.code);
        }
      };
      this.provider.on('connection-close', h);
    });
  }

  /** Tell the server what this device holds (type 101). */
  reportReceived(): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.received);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
    this.provider.ws?.send(encoding.toUint8Array(e));
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** Poll `check` until it returns true (or throw after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Open a raw socket and report how the server answered: HTTP refusal or a close code. */
export function rawSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ refused?: number; closed?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode });
      ws.terminate();
    });
    ws.on('close', (code) => resolve({ closed: code }));
    ws.on('error', () => undefined);
  });
}

/** A live `/api/events` stream of a client, collecting parsed events. */
export interface EventStream {
  events: { type: string; [k: string]: unknown }[];
  close(): void;
}

export async function openEvents(client: TestClient): Promise<EventStream> {
  const ctrl = new AbortController();
  const res = await fetch(`${client.origin}/api/events`, {
    headers: { Cookie: client.cookie ?? '', Origin: client.appOrigin },
    signal: ctrl.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`events: ${res.status}`);
  const stream: EventStream = { events: [], close: () => ctrl.abort() };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let idx: number;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          for (const line of chunk.split('\n')) {
            if (line.startsWith('data: '))
              stream.events.push(JSON.parse(line.slice(6)) as EventStream['events'][number]);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return stream;
}
