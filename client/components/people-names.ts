/**
 * Names for the people of a one-to-one conversation, for text and accessible names:
 * the other person by their display name, the signed-in user as "You".
 */

/** Who a user id is in this conversation (`peerId`'s name, else "You"). */
export type NameOf = (userId: string) => string;

export function namesFor(peerId: string, peerName: string): NameOf {
  return (userId) => (userId === peerId ? peerName : 'You');
}

/** "Alice", "Alice and Bob", "Alice, Bob and Carol". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
