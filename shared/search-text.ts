/**
 * Message search text rules shared by the server and the device: a query becomes words
 * (runs of letters, marks and digits — never search syntax), a word matches a message word
 * it begins (case and accents aside), and a snippet marks the matches as data segments that
 * the client renders as text, never as HTML.
 */

/** Longest search text, in characters. */
export const SEARCH_TEXT_MAX = 200;
/** Most words in one search. */
export const SEARCH_WORDS_MAX = 8;
/** Longest word kept, in characters (longer words are cut: a prefix still matches). */
const WORD_MAX = 64;
/** Characters of message text a snippet shows at most (plus ellipses). */
const SNIPPET_WIDTH = 140;
/** Characters of context kept before the first match when the text is cut. */
const SNIPPET_LEAD = 40;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** One piece of a snippet: `match` pieces are the words the search found. */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/** Lower case, accents removed: the form words are compared in. */
export const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The words of a search text, lower-cased and in NFC, without duplicates, in order.
 * Anything that is not a letter, mark or digit separates words (quotes, `*`, `:`, `-`, …):
 * a query can never carry FTS syntax. May return more than SEARCH_WORDS_MAX words (the
 * caller refuses those).
 */
export function searchWords(query: string): string[] {
  const words: string[] = [];
  for (const m of query.normalize('NFC').toLowerCase().matchAll(WORD)) {
    const w = Array.from(m[0]).slice(0, WORD_MAX).join('');
    if (!words.includes(w)) words.push(w);
  }
  return words;
}

/** Where each of `words` matches the start of a word of `text`: [start, end) offsets. */
export function matchRanges(text: string, words: readonly string[]): [number, number][] {
  const folded = words.map(fold).filter((w) => w !== '');
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(WORD)) {
    const f = fold(m[0]);
    if (folded.some((w) => f.startsWith(w))) ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/** True when every one of `words` begins some word of `text` (the device's own search). */
export function matchesAll(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const found = Array.from(text.matchAll(WORD), (m) => fold(m[0]));
  return words.every((w) => {
    const f = fold(w);
    return found.some((t) => t.startsWith(f));
  });
}

/** A cut point at or before `i` that does not split a surrogate pair. */
const safeCut = (text: string, i: number): number => {
  const code = text.charCodeAt(i);
  return i > 0 && code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
};

/**
 * The part of `text` around its first match, as segments: matches are `match: true`; a cut
 * text begins or ends with "…". At most about SNIPPET_WIDTH characters of the message.
 */
export function snippet(text: string, words: readonly string[]): SnippetSegment[] {
  const ranges = matchRanges(text, words);
  let start = 0;
  let end = text.length;
  if (text.length > SNIPPET_WIDTH) {
    const first = ranges[0]?.[0] ?? 0;
    start = Math.max(0, first - SNIPPET_LEAD);
    // Begin at a word boundary when one is near.
    const space = text.lastIndexOf(' ', start);
    if (start > 0 && space >= 0 && start - space < 20) start = space + 1;
    start = safeCut(text, start);
    end = safeCut(text, Math.min(text.length, start + SNIPPET_WIDTH));
  }
  const segments: SnippetSegment[] = [];
  const push = (s: string, match: boolean): void => {
    if (s === '') return;
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += s;
    else segments.push({ text: s, match });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    push(text.slice(at, from), false);
    push(text.slice(from, to), true);
    at = to;
  }
  push(text.slice(at, end), false);
  if (end < text.length) push('…', false);
  return segments;
}

/** A match a week old counts half as much as a new one (see `searchScore`). */
export const RECENCY_HALF_MS = 7 * 24 * 3600 * 1000;

/**
 * How well `text` answers `words`: every word of the text that one of `words` begins counts
 * 1, or 2 when it is the whole word; divided by the square root of the text's word count,
 * so a short message that says it counts more than a long one that mentions it.
 */
export function relevance(text: string, words: readonly string[]): number {
  const folded = words.map(fold).filter((w) => w !== '');
  let hits = 0;
  let count = 0;
  for (const m of text.matchAll(WORD)) {
    count++;
    const f = fold(m[0]);
    for (const w of folded) {
      if (!f.startsWith(w)) continue;
      hits += f.length === w.length ? 2 : 1;
      break;
    }
  }
  return hits / Math.sqrt(Math.max(1, count));
}

/** Relevance weighted by recency: divided by 1 + the message's age in weeks. */
export const searchScore = (
  text: string,
  at: number,
  words: readonly string[],
  now: number,
): number => relevance(text, words) / (1 + Math.max(0, now - at) / RECENCY_HALF_MS);
