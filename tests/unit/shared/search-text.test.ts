import { describe, expect, it } from 'vitest';
import {
  RECENCY_HALF_MS,
  matchRanges,
  matchesAll,
  relevance,
  searchScore,
  searchWords,
  snippet,
} from '../../../shared/search-text';

describe('search text', () => {
  it('turns a query into plain words: syntax characters only separate them', () => {
    expect(searchWords('  "Hello"  wörld* NEAR(x) hello ')).toEqual([
      'hello',
      'wörld',
      'near',
      'x',
    ]);
    expect(searchWords('\'":*()^-+')).toEqual([]);
    expect(searchWords('café')).toEqual(['café']);
    expect(searchWords('cafe\u0301')).toEqual(['café']); // NFD input, NFC word
    expect(searchWords('x'.repeat(100))[0]).toHaveLength(64);
  });

  it('matches words by their beginning, ignoring case and accents', () => {
    expect(matchRanges('Hello, Helga! Othello', ['hel'])).toEqual([
      [0, 5],
      [7, 12],
    ]);
    expect(matchesAll('Crème brûlée tonight', ['creme', 'TON'])).toBe(true);
    expect(matchesAll('Crème brûlée tonight', ['creme', 'night'])).toBe(false);
    expect(matchesAll('anything', [])).toBe(false);
  });

  it('marks the matches of a short text as segments', () => {
    expect(snippet('Meet me at the lighthouse', ['light', 'me'])).toEqual([
      { text: 'Meet', match: true },
      { text: ' ', match: false },
      { text: 'me', match: true },
      { text: ' at the ', match: false },
      { text: 'lighthouse', match: true },
    ]);
  });

  it('cuts a long text around the first match, with ellipses, never inside a surrogate pair', () => {
    const text = `${'filler words here '.repeat(20)}the needle 😀 ${'more text after '.repeat(20)}`;
    const s = snippet(text, ['needle']);
    expect(s[0]?.text.startsWith('…')).toBe(true);
    expect(s.find((x) => x.match)?.text).toBe('needle');
    expect(s[s.length - 1]?.text.endsWith('…')).toBe(true);
    const shown = s.map((x) => x.text).join('');
    expect(shown.length).toBeLessThan(160);
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const emoji = `${'😀'.repeat(100)} needle`;
    const cut = snippet(emoji, ['needle'])
      .map((x) => x.text)
      .join('');
    expect(cut).not.toMatch(/(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('scores whole words over prefixes, short messages over long ones, new over old', () => {
    expect(relevance('canoe', ['canoe'])).toBeGreaterThan(relevance('canoes', ['canoe']));
    expect(relevance('canoe canoe', ['canoe'])).toBeGreaterThan(relevance('canoe trip', ['canoe']));
    expect(relevance('a canoe', ['canoe'])).toBeGreaterThan(
      relevance('we could take the canoe out on the lake tomorrow', ['canoe']),
    );
    expect(relevance('nothing here', ['canoe'])).toBe(0);
    const now = Date.now();
    expect(searchScore('canoe', now - RECENCY_HALF_MS, ['canoe'], now)).toBeCloseTo(
      searchScore('canoe', now, ['canoe'], now) / 2,
    );
  });
});
