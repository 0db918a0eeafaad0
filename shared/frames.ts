/**
 * Encoders of the wire frames Parley adds to the y-websocket protocol and of the sync frames
 * the server builds itself (docs/protocol.md, "Parley message types"), one copy for the
 * server, the client and the bench.
 */
import * as encoding from 'lib0/encoding';
import { MessageType } from './protocol';

/** A frame of `type` carrying one length-prefixed payload (awareness, ack, received). */
export function frame(type: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, type);
  encoding.writeVarUint8Array(enc, payload);
  return encoding.toUint8Array(enc);
}

/** "This document is sealed; write to `live`" (type 102). */
export function sealedFrame(live: string): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.sealed);
  encoding.writeVarString(enc, live);
  return encoding.toUint8Array(enc);
}

/** y-protocols' sync message sub-types (sync step 1, step 2, update). */
const SyncStep2 = 1;
const SyncUpdate = 2;

/** A sync step 2 frame around `update`, copying it once (it may be megabytes). */
export function step2Frame(update: Uint8Array): Uint8Array {
  const head = encoding.createEncoder();
  encoding.writeVarUint(head, MessageType.sync);
  encoding.writeVarUint(head, SyncStep2);
  encoding.writeVarUint(head, update.byteLength);
  const prefix = encoding.toUint8Array(head);
  const out = new Uint8Array(prefix.byteLength + update.byteLength);
  out.set(prefix, 0);
  out.set(update, prefix.byteLength);
  return out;
}

/** A sync update frame (what a relay sends). */
export function updateFrame(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.sync);
  encoding.writeVarUint(enc, SyncUpdate);
  encoding.writeVarUint8Array(enc, update);
  return encoding.toUint8Array(enc);
}
