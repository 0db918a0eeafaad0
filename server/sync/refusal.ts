/**
 * The two ways the validator declines an update, as exceptions so deep checks can stop at
 * once: a rejection (a broken rule, final for the sender) and a deferral (a gap: state the
 * server lacks; nothing is applied and the client's next sync step 2 carries it).
 */
export class Rejection extends Error {}
export class Deferral extends Error {}

export function reject(reason: string): never {
  throw new Rejection(reason);
}

export function defer(reason: string): never {
  throw new Deferral(reason);
}
