/**
 * Bounds the work Yjs does to integrate an update, not only to validate it. Yjs places a
 * new item by scanning right from its left neighbour past concurrent items (YATA); an item
 * anchored deep in a long list can scan to the list's end, and past the update's own items
 * already placed there, so thousands of such items make `Y.applyUpdate` quadratic.
 */
import * as Y from 'yjs';
import { Limits } from '../../shared/protocol';
import { reject } from './refusal';
import type { Place } from './validate-items';

/** Collects, per anchored new item, an upper bound of the list items Yjs may scan past. */
export class ScanBudget {
  private readonly cap = Limits.maxUpdateScanSteps;
  private held = 0;
  /** The list (root and key) of each anchored item; the update's own items there count too. */
  private readonly anchoredIn: string[] = [];
  /** Tail lengths behind held items, memoized: an anchor is walked once, charged each time. */
  private readonly tails = new Map<Y.Item, number>();

  /** A new item whose origin is the held `origin`: Yjs scans what lies to its right. */
  afterHeld(origin: Y.Item, place: Place): void {
    let n = this.tails.get(origin);
    if (n === undefined) {
      n = 0;
      for (let o = origin.right; o !== null && n <= this.cap; o = o.right) n++;
      this.tails.set(origin, n);
    }
    this.add(n, place);
  }

  /** A new item without an origin: Yjs scans the whole list (array) or the key's history (map). */
  atStart(doc: Y.Doc, place: Place): void {
    const type = doc.share.get(place.root);
    let n = 0;
    if (type && place.key === null) {
      for (let o = type._start; o !== null && n <= this.cap; o = o.right) n++;
    } else if (type && place.key !== null) {
      for (let o = type._map.get(place.key) ?? null; o !== null && n <= this.cap; o = o.left) n++;
    }
    this.add(n, place);
  }

  /** Refuse when the bound passes the limit; `places` are all new items' places. */
  check(places: readonly (Place | undefined)[]): void {
    if (this.anchoredIn.length === 0) return;
    const perList = new Map<string, number>();
    for (const p of places) {
      if (p) perList.set(listKey(p), (perList.get(listKey(p)) ?? 0) + 1);
    }
    let total = this.held;
    for (const list of this.anchoredIn) total += perList.get(list) ?? 0;
    if (total > this.cap) reject('update too costly to integrate (items anchored deep in a list)');
  }

  private add(n: number, place: Place): void {
    this.held += n;
    this.anchoredIn.push(listKey(place));
    if (this.held > this.cap)
      reject('update too costly to integrate (items anchored deep in a list)');
  }
}

function listKey(p: Place): string {
  return p.key === null ? p.root : `${p.root}\u0000${p.key}`;
}
