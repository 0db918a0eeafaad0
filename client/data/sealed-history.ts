/**
 * A conversation's older history: the sealed documents (epochs below the live one) loaded
 * for reading, each from this device's IndexedDB and then what the server has beyond it.
 * Always a contiguous run of epochs right below the live one. Read-only: nothing here is
 * written to (docs/protocol.md, "Epochs").
 */
import * as Y from 'yjs';
import { docNameOf } from '../../shared/protocol';
import { Roots } from '../../shared/schema';
import { defaultPersistence, quietLoad, type LocalPersistence } from './conversation-sync';
import { EMPTY_SV, messageViews, type MessageView } from './message-state';

export interface SealedHistoryOptions {
  id: string;
  me: string;
  /** The IndexedDB name of a document of this user (`localDocName`). */
  localName: (docName: string) => string;
  createPersistence?: (name: string, doc: Y.Doc) => LocalPersistence;
  /** See `ConversationOptions.fetchEpoch`. */
  fetchEpoch?: (id: string, epoch: number, sv: Uint8Array) => Promise<Uint8Array>;
  /** A loaded sealed document changed (the server's copy arrived). */
  onChange: () => void;
}

/** A sealed document loaded for reading. */
interface Sealed {
  epoch: number;
  doc: Y.Doc;
  persistence: LocalPersistence | null;
  /** Its message views, built once and dropped when the document changes. */
  views: MessageView[] | null;
}

const ORIGIN_SERVER = Symbol('sealed-from-server');

export class SealedHistory {
  private readonly sealed = new Map<number, Sealed>();
  private destroyed = false;
  /** The last load found the next older document neither on this device nor reachable. */
  unavailable = false;

  constructor(private readonly opts: SealedHistoryOptions) {}

  /** How many sealed documents are loaded. */
  get size(): number {
    return this.sealed.size;
  }

  /** The lowest epoch loaded, counting down from `liveEpoch` (itself when none is). */
  oldest(liveEpoch: number): number {
    let oldest = liveEpoch;
    while (this.sealed.has(oldest - 1)) oldest--;
    return oldest;
  }

  /** The loaded sealed documents. */
  docs(): Y.Doc[] {
    return [...this.sealed.values()].map((s) => s.doc);
  }

  /**
   * Keep `doc`, the live document just sealed, as epoch `epoch` (the one right below the
   * new live one), and fetch what of it this device lacks.
   */
  keep(doc: Y.Doc, epoch: number): void {
    const kept: Sealed = { epoch, doc, persistence: null, views: null };
    this.sealed.set(epoch, kept);
    this.watch(doc, epoch);
    // It may have been sealed before this device caught up: fetch what it lacks.
    void this.fill(doc, epoch).then(({ persistence }) => {
      if (this.sealed.get(epoch) === kept && !this.destroyed) kept.persistence = persistence;
      else void persistence?.destroy().catch(() => undefined);
    });
  }

  /**
   * Load epoch `epoch`. `stillWanted` is asked once it is loaded (the live document may
   * have moved meanwhile). Sets `unavailable` when it is neither here nor reachable.
   */
  async load(epoch: number, stillWanted: () => boolean): Promise<void> {
    if (epoch < 0 || this.destroyed) return;
    const doc = new Y.Doc();
    const { persistence, reached } = await this.fill(doc, epoch);
    const empty = doc.getArray(Roots.messages).length === 0;
    if (this.destroyed || !stillWanted() || this.sealed.has(epoch) || (empty && !reached)) {
      await persistence?.destroy().catch(() => undefined);
      doc.destroy();
      this.unavailable = empty && !reached;
      return;
    }
    this.unavailable = false;
    this.sealed.set(epoch, { epoch, doc, persistence, views: null });
    this.watch(doc, epoch);
  }

  /**
   * The views of the loaded sealed documents, oldest first. `live` is the live document:
   * the other person read everything in a document once they marked something later.
   */
  views(live: Y.Doc): MessageView[] {
    const epochs = [...this.sealed.keys()].sort((a, b) => a - b);
    const me = this.opts.me;
    let peerReadLater = hasPeerMarker(live, me);
    const out: MessageView[][] = [];
    for (let i = epochs.length - 1; i >= 0; i--) {
      const s = this.sealed.get(epochs[i] ?? -1);
      if (!s) continue;
      s.views ??= viewsOfSealed(s.doc, me, peerReadLater);
      out.unshift(s.views);
      peerReadLater ||= hasPeerMarker(s.doc, me);
    }
    return out.flat();
  }

  /** Drop every loaded document. */
  async clear(): Promise<void> {
    const all = [...this.sealed.values()];
    this.sealed.clear();
    for (const s of all) {
      await s.persistence?.destroy().catch(() => undefined);
      s.doc.destroy();
    }
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.clear();
  }

  private watch(doc: Y.Doc, epoch: number): void {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
      const s = this.sealed.get(epoch);
      if (s) s.views = null;
      this.opts.onChange();
    });
  }

  /**
   * Bring a sealed document up to date: this device's copy (kept in IndexedDB from now on),
   * then what the server has beyond it. `reached` is false when the server could not be asked.
   */
  private async fill(
    doc: Y.Doc,
    epoch: number,
  ): Promise<{ persistence: LocalPersistence | null; reached: boolean }> {
    const { id, fetchEpoch } = this.opts;
    const name = this.opts.localName(docNameOf(id, epoch));
    const create = this.opts.createPersistence ?? defaultPersistence;
    let persistence: LocalPersistence | null = null;
    try {
      persistence = create(name, doc);
      const resume = quietLoad(doc, persistence, null);
      try {
        await persistence.whenSynced;
      } finally {
        resume();
      }
    } catch {
      persistence = null; // no IndexedDB: the server's copy only
    }
    try {
      if (!fetchEpoch) return { persistence, reached: false };
      const update = await fetchEpoch(id, epoch, Y.encodeStateVector(doc));
      if (!doc.isDestroyed) Y.applyUpdate(doc, update, ORIGIN_SERVER);
      return { persistence, reached: true };
    } catch {
      // Offline or the server is away: what this device has is what there is for now.
      return { persistence, reached: false };
    }
  }
}

/** True when someone other than `me` has a read marker in `doc`. */
function hasPeerMarker(doc: Y.Doc, me: string): boolean {
  for (const key of doc.getMap(Roots.reads).keys()) if (key !== me) return true;
  return false;
}

/**
 * Message views of a sealed document: everything in it is stored on the server, so your
 * messages are at least "sent"; "read" when the other person's marker covers them or they
 * marked anything in a later document. Nothing in it can be edited.
 */
function viewsOfSealed(doc: Y.Doc, me: string, peerReadLater: boolean): MessageView[] {
  const all = Y.decodeStateVector(Y.encodeStateVector(doc));
  return messageViews(doc, me, { ack: all, received: EMPTY_SV }, { sealed: true }).map((v) => ({
    ...v,
    sealed: true,
    state: v.mine && peerReadLater ? 'read' : v.state,
  }));
}
