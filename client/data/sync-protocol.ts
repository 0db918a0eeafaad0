/**
 * Small pieces of Parley's sync protocol on the client: framing the extra message types,
 * storing state vectors, close-code classes and the jittered reconnect delay.
 */
import * as Y from 'yjs';
import { EMPTY_SV, type StateVector } from './message-state';

/** Longest wait between reconnect attempts, before jitter. */
export const MAX_BACKOFF_MS = 5000;

/** 4400–4499: the server decided; reconnecting cannot help (y-websocket's convention too). */
export const isFinalClose = (code: number): boolean => code >= 4400 && code < 4500;

/** `[type, varUint8Array(payload)]`, the framing of every y-websocket message (one copy, shared/). */
export { frame } from '../../shared/frames';

/**
 * Delay before reconnect attempt number `failures` (1-based): exponential from 200 ms up
 * to `MAX_BACKOFF_MS`, times a random factor in [0.5, 1.5) so that clients dropped by a
 * server restart do not all come back in the same instant.
 */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.max(1, failures));
  return Math.round(base * (0.5 + random()));
}

/** A state vector as an ArrayBuffer, for y-indexeddb's custom store. */
export function stateVectorToBuffer(sv: StateVector): ArrayBuffer {
  const bytes = Y.encodeStateVector(new Map(sv));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The state vector stored by `stateVectorToBuffer`, or an empty one for anything else. */
export function stateVectorFromStored(value: unknown): StateVector {
  if (!(value instanceof ArrayBuffer)) return EMPTY_SV;
  try {
    return Y.decodeStateVector(new Uint8Array(value));
  } catch {
    return EMPTY_SV;
  }
}
