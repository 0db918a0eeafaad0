/** A new device syncing a document with y-websocket's own WebsocketProvider (the browser client's path). */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { MessageType } from '../../shared/protocol';

export interface ProviderSync {
  /** Provider created to its 'sync' event with the server's whole state applied. */
  ms: number;
  /** Socket open to the first frame from the server (≈ the server loading the room). */
  firstFrameMs: number;
  messages: number;
  bytesIn: number;
}

export async function providerSync(
  wsBase: string,
  origin: string,
  doc: string,
  cookie: string,
  timeoutMs = 60_000,
): Promise<ProviderSync> {
  let bytesIn = 0;
  let tOpen = 0;
  let tFirst = 0;
  class CookieSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, {
        headers: { Cookie: cookie, Origin: origin },
        perMessageDeflate: false,
      });
      this.on('open', () => (tOpen = performance.now()));
      this.on('message', (data: Buffer) => {
        if (tFirst === 0) tFirst = performance.now();
        bytesIn += data.byteLength;
      });
    }
  }
  const ydoc = new Y.Doc();
  const t0 = performance.now();
  const provider = new WebsocketProvider(wsBase, doc, ydoc, {
    // ws's WebSocket is API-compatible with the browser's for y-websocket's purposes.
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const ignore = (_enc: unknown, dec: decoding.Decoder): void => {
    decoding.readVarUint8Array(dec);
  };
  provider.messageHandlers[MessageType.ack] = ignore;
  provider.messageHandlers[MessageType.received] = ignore;
  provider.messageHandlers[MessageType.sealed] = ignore;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('provider did not sync in time')), timeoutMs);
      provider.on('sync', (synced: boolean) => {
        if (synced) {
          clearTimeout(timer);
          resolve();
        }
      });
      provider.on('connection-close', (event: CloseEvent | null) => {
        if (event && event.code >= 4400) {
          clearTimeout(timer);
          reject(new Error(`server closed the provider with ${event.code}`));
        }
      });
    });
    const ms = performance.now() - t0;
    return {
      ms,
      firstFrameMs: tFirst - tOpen,
      messages: ydoc.getArray('messages').length,
      bytesIn,
    };
  } finally {
    provider.destroy();
    ydoc.destroy();
  }
}
