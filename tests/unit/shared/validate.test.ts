/** Property tests of the account field rules (issue #10, finding 15): what passes is clean. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDisplayName, normalizeEmail } from '../../../shared/validate';

const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const JOINER = /[\u200c\u200d]/u;

/** Strings mixing ordinary text with the characters the rules are about. */
const tricky = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.constantFrom(
        '\u0000',
        '\u0007',
        '\u0085',
        '\u202e',
        '\u202a',
        '\u2066',
        '\u2069',
        '\u200b',
        '\u200c',
        '\u200d',
        '\u200e',
        '\u2060',
        '\ufeff',
        '\u00ad',
        '\u2028',
        '\u2029',
        'e\u0301',
        '\u00e9',
        ' ',
        '\t',
        '@',
        '.',
        'a',
        'Z',
        '\u{1F469}',
      ),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('account field rules', () => {
  it('accepts only NFC, lower-case e-mails without invisible characters, idempotently', () => {
    fc.assert(
      fc.property(tricky, tricky, (local, domain) => {
        const r = normalizeEmail(`${local}@${domain}.com`);
        if (!r.ok) return;
        expect(r.value).not.toMatch(INVISIBLE);
        expect(r.value).toBe(r.value.normalize('NFC'));
        expect(r.value).toBe(r.value.toLowerCase());
        expect(normalizeEmail(r.value)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves display names without controls, bidi or zero-width characters, joiners only inside', () => {
    fc.assert(
      fc.property(tricky, (raw) => {
        const r = checkDisplayName(raw);
        if (!r.ok) return;
        const withoutJoiners = r.value.replace(/[\u200c\u200d]/gu, '');
        expect(withoutJoiners).not.toMatch(INVISIBLE);
        expect(r.value).not.toMatch(/^[\u200c\u200d\s]|[\u200c\u200d\s]$/u);
        expect(r.value).not.toMatch(/[\u200c\u200d]{2}/u);
        expect(r.value.length).toBeGreaterThan(0);
        expect(r.value).toBe(r.value.normalize('NFC'));
        expect(JOINER.test(r.value) ? withoutJoiners.length : 1).toBeGreaterThan(0);
        expect(checkDisplayName(r.value)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});
