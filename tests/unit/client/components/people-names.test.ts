import { describe, expect, it } from 'vitest';
import { joinNames, namesFor } from '../../../../client/components/people-names';
import { reactionLabel } from '../../../../client/components/reaction-chips';

describe('names in a conversation', () => {
  const nameOf = namesFor('u_bob', 'Bob');

  it('names the other person by name and the signed-in user as You', () => {
    expect(nameOf('u_bob')).toBe('Bob');
    expect(nameOf('u_me')).toBe('You');
  });

  it('joins names as a sentence', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['Bob'])).toBe('Bob');
    expect(joinNames(['Bob', 'You'])).toBe('Bob and You');
    expect(joinNames(['A', 'B', 'C'])).toBe('A, B and C');
  });

  it('labels a reaction chip with its count, emoji and people', () => {
    expect(reactionLabel({ emoji: '👍', users: ['u_bob'], mine: false }, nameOf)).toBe(
      '1 reaction: 👍 by Bob',
    );
    expect(reactionLabel({ emoji: '❤️', users: ['u_bob', 'u_me'], mine: true }, nameOf)).toBe(
      '2 reactions: ❤️ by Bob and You',
    );
  });
});
