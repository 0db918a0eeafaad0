import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../client/components/linkify';

describe('tokenize', () => {
  it('returns plain text as one text token', () => {
    expect(tokenize('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
    expect(tokenize('')).toEqual([]);
  });

  it('finds http and https links in the middle of text', () => {
    expect(tokenize('see https://example.com/a?b=1#c now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' now' },
    ]);
    expect(tokenize('http://x.test')).toEqual([
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
    ]);
  });

  it('leaves sentence punctuation and unbalanced parentheses outside the link', () => {
    expect(tokenize('Look: https://example.com.')).toEqual([
      { kind: 'text', text: 'Look: ' },
      { kind: 'link', text: 'https://example.com', href: 'https://example.com/' },
      { kind: 'text', text: '.' },
    ]);
    expect(tokenize('(https://example.com/x)')[1]).toMatchObject({
      text: 'https://example.com/x',
    });
    expect(tokenize('https://en.wikipedia.org/wiki/Yjs_(software)')[0]).toMatchObject({
      text: 'https://en.wikipedia.org/wiki/Yjs_(software)',
    });
  });

  it('never makes links of other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'click javascript://example.com/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'ftp://example.com',
    ]) {
      expect(tokenize(text).every((t) => t.kind === 'text')).toBe(true);
      expect(
        tokenize(text)
          .map((t) => t.text)
          .join(''),
      ).toBe(text);
    }
  });

  it('keeps markup as text and stops a URL at angle brackets and quotes', () => {
    const text = '<img src=x onerror=alert(1)> https://a.test/"><script>';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(tokens.filter((t) => t.kind === 'link')).toEqual([
      { kind: 'link', text: 'https://a.test/', href: 'https://a.test/' },
    ]);
  });

  it('handles several links and keeps every character', () => {
    const text = 'a https://one.test b https://two.test/path c';
    const tokens = tokenize(text);
    expect(tokens.filter((t) => t.kind === 'link')).toHaveLength(2);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
  });
});
