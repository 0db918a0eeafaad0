/**
 * The ids of the messages a document holds now (deleted ones leave), kept up to date by
 * observing its `messages` array: what edits and reactions may name (validate-items.ts).
 * Built once when a room loads (one walk of the array). Updates the room made itself (from
 * a socket, after validation; its own purges) are told with `added`/`removed`, O(change);
 * others (the bus, a resync) are read from the Yjs event, whose `changes` walk the array.
 */
import * as Y from 'yjs';
import { Roots, isChatMessage } from '../../shared/schema';

export class DocMessageIds {
  readonly ids = new Set<string>();
  private readonly array: Y.Array<unknown>;

  constructor(
    doc: Y.Doc,
    /** Transactions the room reports itself (`added`/`removed`): the observer skips them. */
    private readonly told: (origin: unknown) => boolean = () => false,
  ) {
    this.array = doc.getArray<unknown>(Roots.messages);
    for (const v of this.array.toArray()) if (isChatMessage(v)) this.ids.add(v.id);
    this.array.observe(this.onChange);
  }

  added(ids: Iterable<string>): void {
    for (const id of ids) this.ids.add(id);
  }

  removed(ids: Iterable<string>): void {
    for (const id of ids) this.ids.delete(id);
  }

  private readonly onChange = (event: Y.YArrayEvent<unknown>): void => {
    if (this.told(event.transaction.origin)) return;
    for (const item of event.changes.deleted)
      for (const v of item.content.getContent()) if (isChatMessage(v)) this.ids.delete(v.id);
    for (const item of event.changes.added)
      for (const v of item.content.getContent()) if (isChatMessage(v)) this.ids.add(v.id);
  };

  stop(): void {
    this.array.unobserve(this.onChange);
  }
}
