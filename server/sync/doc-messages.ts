/**
 * The ids of the messages a document holds now (deleted ones leave), kept up to date by
 * observing its `messages` array: what edits and reactions may name (validate-items.ts).
 * Built once when a room loads (one walk of the array), then O(change) per update,
 * whatever its origin (a socket, the bus, a resync).
 */
import * as Y from 'yjs';
import { Roots, isChatMessage } from '../../shared/schema';

export class DocMessageIds {
  readonly ids = new Set<string>();
  private readonly array: Y.Array<unknown>;

  constructor(doc: Y.Doc) {
    this.array = doc.getArray<unknown>(Roots.messages);
    for (const v of this.array.toArray()) if (isChatMessage(v)) this.ids.add(v.id);
    this.array.observe(this.onChange);
  }

  private readonly onChange = (event: Y.YArrayEvent<unknown>): void => {
    for (const item of event.changes.deleted)
      for (const v of item.content.getContent()) if (isChatMessage(v)) this.ids.delete(v.id);
    for (const item of event.changes.added)
      for (const v of item.content.getContent()) if (isChatMessage(v)) this.ids.add(v.id);
  };

  stop(): void {
    this.array.unobserve(this.onChange);
  }
}
