/**
 * The network and disk lifecycle of one conversation document: y-indexeddb first, then
 * the y-websocket provider; one status union for the UI; close-code handling; jittered
 * reconnects; and Parley's two extra message types, ack (100) and received (101), which
 * drive the "sent" and "delivered" states.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence, storeState } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, MessageType, parseDocName } from '../../shared/protocol';
import { Roots } from '../../shared/schema';
import { EMPTY_SV, mergeStateVectors, readCoversAll, type DeliveryFacts } from './message-state';
import { SnapshotStore } from './store';
import { TabRelay, defaultChannel, type ChannelLike } from './tab-relay';
import {
  MAX_BACKOFF_MS,
  frame,
  isFinalClose,
  reconnectDelay,
  stateVectorFromStored,
  stateVectorToBuffer,
} from './sync-protocol';

/**
 * `refused` when the server closed with 4413: the user's storage quota is used up. The
 * conversation view shows this text; unsent messages stay on the device.
 */
export const QUOTA_REFUSAL =
  'Your storage on the server is full, so new messages are not sent. They stay on this device.';

export type SyncStatus =
  'loading-local' | 'offline' | 'connecting' | 'synced' | 'unauthenticated' | 'forbidden';

export interface SyncState {
  status: SyncStatus;
  /** What the server stored and what the other person's device holds. */
  facts: DeliveryFacts;
  /** Set when the server refused one of our updates (close 4400): a bug, not retried. */
  refused: string | null;
  /**
   * Set when the server said this document is sealed (type 102): the name of the
   * conversation's live document, where new messages go now.
   */
  sealedTo: string | null;
}

/** The part of y-indexeddb the sync uses (a fake in unit tests). */
export interface LocalPersistence {
  readonly whenSynced: Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: ArrayBuffer): Promise<unknown>;
  destroy(): Promise<void>;
}

export interface ConversationSyncOptions {
  doc: Y.Doc;
  awareness: Awareness;
  /** The live document's name, synced at `/sync/<docName>`. */
  docName: string;
  /** The signed-in user (whose read marker makes a "received" frame redundant). */
  me?: string;
  /** How long after an arrival the "received" frame goes (default 300 ms; tests). */
  receivedDelayMs?: number;
  /** IndexedDB database name: `parley:<userId>:<docName>`. */
  localName: string;
  /** `ws(s)://host/sync`; defaults to the page's origin. */
  syncUrl?: string;
  createPersistence?: (name: string, doc: Y.Doc) => LocalPersistence;
  /** Null keeps the document local only (unit tests). */
  createProvider?: ((o: ProviderArgs) => WebsocketProvider) | null;
  /** The browser's global for online/visibility events; null outside a browser. */
  window?: Window | null;
  /**
   * The channel that relays updates between this user's tabs (see `TabRelay`), named
   * after `localName`; by default a BroadcastChannel in a browser, none elsewhere.
   */
  createChannel?: ((name: string) => ChannelLike | null) | null;
}

export interface ProviderArgs {
  url: string;
  docName: string;
  doc: Y.Doc;
  awareness: Awareness;
}

type UpdateHandler = (update: Uint8Array, origin: unknown) => void;

/**
 * Loading applies the whole local history in one transaction, and while any `update`
 * listener is attached Yjs encodes all of it again just to hand it over (~60 ms for 10,000
 * messages). y-indexeddb's own store handler (`_storeUpdate`) and the provider's broadcast
 * handler (`_updateHandler`) have nothing to do with it: detach them until the load is done.
 * Returns the function that puts them back and stores anything written meanwhile.
 */
export function quietLoad(doc: Y.Doc, persistence: object, provider: object | null): () => void {
  const handlers = [
    (persistence as { _storeUpdate?: UpdateHandler })._storeUpdate,
    (provider as { _updateHandler?: UpdateHandler } | null)?._updateHandler,
  ].filter((h): h is UpdateHandler => typeof h === 'function');
  for (const h of handlers) doc.off('update', h);
  let written = false;
  const watch = (tr: Y.Transaction): void => {
    if (tr.origin !== persistence && (tr.changed.size > 0 || tr.deleteSet.clients.size > 0))
      written = true;
  };
  doc.on('afterTransaction', watch);
  return () => {
    doc.off('afterTransaction', watch);
    for (const h of handlers) doc.on('update', h);
    // Written while the store handler was away: store the whole state once.
    if (!written || !(persistence instanceof IndexeddbPersistence)) return;
    try {
      void storeState(persistence, true).catch(() => undefined);
    } catch {
      // Closed meanwhile (sign-out): nothing to keep.
    }
  };
}

/** This device's copy of a document: y-indexeddb. */
export const defaultPersistence = (name: string, doc: Y.Doc): LocalPersistence =>
  new IndexeddbPersistence(name, doc);

const RECEIVED_DEBOUNCE_MS = 300;
const PERSIST_DEBOUNCE_MS = 500;

const defaultSyncUrl = (): string => `${location.origin.replace(/^http/, 'ws')}/sync`;

const defaultProvider = ({ url, docName, doc, awareness }: ProviderArgs): WebsocketProvider =>
  new WebsocketProvider(url, docName, doc, {
    connect: false,
    awareness,
    // y-websocket's channel is named after the document only, so it would also carry
    // updates between two accounts used one after the other; `TabRelay` scopes it per user.
    disableBc: true,
    maxBackoffTime: MAX_BACKOFF_MS,
  });

export class ConversationSync extends SnapshotStore<SyncState> {
  readonly provider: WebsocketProvider | null;
  private readonly persistence: LocalPersistence;
  private readonly win: Window | null;
  private destroyed = false;
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private receivedTimer: ReturnType<typeof setTimeout> | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private started: Promise<void> | null = null;
  private localReady = false;
  private relay: TabRelay | null = null;
  private resumeHandlers: (() => void) | null = null;

  constructor(private readonly opts: ConversationSyncOptions) {
    super({
      status: 'loading-local',
      facts: { ack: EMPTY_SV, received: EMPTY_SV },
      refused: null,
      sealedTo: null,
    });
    this.persistence = (opts.createPersistence ?? defaultPersistence)(opts.localName, opts.doc);
    this.win =
      opts.window !== undefined ? opts.window : typeof window === 'undefined' ? null : window;
    const createProvider =
      opts.createProvider === undefined ? defaultProvider : opts.createProvider;
    this.provider = createProvider
      ? createProvider({
          url: opts.syncUrl ?? defaultSyncUrl(),
          docName: opts.docName,
          doc: opts.doc,
          awareness: opts.awareness,
        })
      : null;
    if (this.provider) this.wireProvider(this.provider);
    this.resumeHandlers = quietLoad(opts.doc, this.persistence, this.provider);
  }

  /** Load the local copy, then connect. Idempotent; resolves once the local copy is loaded. */
  start(): Promise<void> {
    this.started ??= this.load();
    return this.started;
  }

  private async load(): Promise<void> {
    // The local history must be in the doc before the provider's first sync step, or the
    // whole history would go to the server as one big update.
    // The delivery facts are read while the history loads, not after.
    const facts = Promise.all([
      this.persistence.get('ack').catch(() => undefined),
      this.persistence.get('received').catch(() => undefined),
    ]);
    await this.persistence.whenSynced;
    this.resumeHandlers?.();
    this.resumeHandlers = null;
    const [ack, received] = await facts;
    if (this.destroyed) return;
    this.localReady = true;
    this.opts.doc.on('afterTransaction', this.onDocUpdate);
    // After loading: the local history must not be broadcast to the other tabs.
    const createChannel =
      this.opts.createChannel === undefined
        ? this.win
          ? defaultChannel
          : null
        : this.opts.createChannel;
    const channel = createChannel?.(this.opts.localName) ?? null;
    if (channel) {
      this.relay = new TabRelay(this.opts.doc, channel);
      this.relay.hello();
    }
    this.mergeFacts(
      { ack: stateVectorFromStored(ack), received: stateVectorFromStored(received) },
      false,
    );
    this.win?.addEventListener('online', this.onOnline);
    this.win?.addEventListener('offline', this.onOffline);
    this.win?.document.addEventListener('visibilitychange', this.onVisibility);
    if (this.provider && this.isOnline()) this.provider.connect();
    this.updateStatus();
  }

  /** Reconnect at once (skipping any backoff) unless the server said no for good. */
  reconnectNow(): void {
    const p = this.provider;
    if (!p || this.destroyed || !this.started || this.isFinal()) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (!p.wsconnected && p.ws === null) p.connect();
    this.updateStatus();
  }

  /**
   * The server closed the socket with 4401 but the device is signed in again (a password
   * change gives this device a new session and closes its old sockets): connect again.
   */
  resumeSignedIn(): void {
    if (this.destroyed || this.snapshot.status !== 'unauthenticated') return;
    this.patch({ status: 'connecting' });
    this.reconnectNow();
  }

  private isOnline(): boolean {
    return this.win?.navigator.onLine ?? true;
  }

  private isFinal(): boolean {
    const s = this.snapshot;
    return s.status === 'unauthenticated' || s.status === 'forbidden' || s.refused !== null;
  }

  private wireProvider(p: WebsocketProvider): void {
    p.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
      // Must not write to the encoder: anything written would be sent back.
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      this.mergeFacts({ ack: sv }, true);
    };
    p.messageHandlers[MessageType.received] = (_encoder, decoder) => {
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      this.mergeFacts({ received: sv }, true);
    };
    p.messageHandlers[MessageType.sealed] = (_encoder, decoder) => {
      const live = decoding.readVarString(decoder);
      const next = parseDocName(live);
      const self = parseDocName(this.opts.docName);
      // Only a later document of the same conversation is believed.
      if (!next || !self || next.conversationId !== self.conversationId) return;
      if (next.epoch <= self.epoch || this.snapshot.sealedTo === live) return;
      this.patch({ sealedTo: live });
    };
    p.on('status', () => this.updateStatus());
    p.on('sync', (synced) => {
      if (synced) {
        this.failures = 0;
        this.sendReceived();
      }
      this.updateStatus();
    });
    p.on('connection-close', (event) => this.onClose(p, event));
  }

  private onClose(p: WebsocketProvider, event: CloseEvent | null): void {
    if (this.destroyed) return;
    const code = event?.code ?? 0;
    if (event && isFinalClose(code)) {
      if (code === CloseCode.unauthenticated) this.patch({ status: 'unauthenticated' });
      else if (code === CloseCode.forbidden) this.patch({ status: 'forbidden' });
      else if (code === CloseCode.quotaExceeded)
        this.patch({ refused: QUOTA_REFUSAL, status: 'offline' });
      else this.patch({ refused: event.reason || `closed with ${code}`, status: 'offline' });
      // The provider is still inside its teardown when it emits this event; stop it after.
      queueMicrotask(() => p.disconnect());
      return;
    }
    if (!p.shouldConnect) return; // we disconnected on purpose
    // Take over the reconnect: the provider's own backoff has no jitter, so a server
    // restart would see every client come back in the same instant. Turning
    // `shouldConnect` off makes its already scheduled attempt a no-op.
    p.shouldConnect = false;
    this.failures++;
    const delay = reconnectDelay(this.failures);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.destroyed && this.isOnline() && !this.isFinal()) p.connect();
      this.updateStatus();
    }, delay);
    queueMicrotask(() => this.updateStatus());
  }

  private readonly onOnline = (): void => this.reconnectNow();

  private readonly onOffline = (): void => {
    // No network: stop trying (and stop a half-dead socket from pretending to be open).
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.provider?.disconnect();
    this.updateStatus();
  };

  private readonly onVisibility = (): void => {
    if (this.win?.document.visibilityState === 'visible' && this.isOnline()) this.reconnectNow();
  };

  private readonly onDocUpdate = (tr: Y.Transaction): void => {
    // Messages applied by the provider came from the server: tell it what we hold now (the
    // other person's "delivered" ticks follow it). A read marker, an edit or a reaction
    // changes no tick, so it needs no frame (a quarter of the frames in a conversation).
    if (tr.origin !== this.provider || this.receivedTimer) return;
    if (!tr.changed.has(this.opts.doc.getArray(Roots.messages))) return;
    this.receivedTimer = setTimeout(() => {
      this.receivedTimer = null;
      // Read since (the conversation is open and seen): the read marker went out in the
      // document, and read implies delivered on the other side, so no frame is needed. A
      // later "received" (any arrival, or the one on every sync) covers these too.
      const me = this.opts.me;
      if (me !== undefined && readCoversAll(this.opts.doc, me)) return;
      this.sendReceived();
    }, this.opts.receivedDelayMs ?? RECEIVED_DEBOUNCE_MS);
  };

  private sendReceived(): void {
    const p = this.provider;
    if (!p || !p.wsconnected || !p.ws || p.ws.readyState !== p.ws.OPEN) return;
    p.ws.send(frame(MessageType.received, Y.encodeStateVector(this.opts.doc)));
  }

  private mergeFacts(next: Partial<DeliveryFacts>, persist: boolean): void {
    const current = this.snapshot.facts;
    const ack = next.ack ? mergeStateVectors(current.ack, next.ack) : current.ack;
    const received = next.received
      ? mergeStateVectors(current.received, next.received)
      : current.received;
    if (ack === current.ack && received === current.received) return;
    this.patch({ facts: { ack, received } });
    if (persist && !this.persistTimer) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = null;
        void this.persistFacts();
      }, PERSIST_DEBOUNCE_MS);
    }
  }

  private async persistFacts(): Promise<void> {
    if (this.destroyed) return;
    const { ack, received } = this.snapshot.facts;
    await Promise.all([
      this.persistence.set('ack', stateVectorToBuffer(ack)),
      this.persistence.set('received', stateVectorToBuffer(received)),
    ]).catch(() => undefined); // best effort: the next ack after reconnecting restores it
  }

  private updateStatus(): void {
    if (this.destroyed) return;
    const current = this.snapshot.status;
    if (current === 'unauthenticated' || current === 'forbidden') return;
    let status: SyncStatus;
    const p = this.provider;
    if (!this.localReady) status = 'loading-local';
    else if (!p || this.snapshot.refused !== null || !this.isOnline()) status = 'offline';
    else if (p.synced) status = 'synced';
    else if (p.wsconnected || p.wsconnecting) status = 'connecting';
    // Between attempts: one failure is a blip, more is "offline".
    else status = this.failures >= 2 ? 'offline' : 'connecting';
    if (status !== current) this.patch({ status });
  }

  /** Disconnect and release the provider, the local store and every listener. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = null;
      await this.persistFacts();
    }
    this.destroyed = true;
    for (const t of [this.reconnectTimer, this.receivedTimer]) if (t) clearTimeout(t);
    this.win?.removeEventListener('online', this.onOnline);
    this.win?.removeEventListener('offline', this.onOffline);
    this.win?.document.removeEventListener('visibilitychange', this.onVisibility);
    this.opts.doc.off('afterTransaction', this.onDocUpdate);
    this.resumeHandlers?.();
    this.resumeHandlers = null;
    this.relay?.close();
    this.provider?.destroy();
    await this.persistence.destroy();
  }
}
