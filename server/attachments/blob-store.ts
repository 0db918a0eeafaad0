/**
 * BlobStore: the seam for attachment bytes, content-addressed by SHA-256 (hex). Two
 * implementations pass one contract suite (tests/contract/blob-store.contract.ts): files
 * under DATA_DIR/blobs (embedded) and chunks in PostgreSQL (cluster). Bytes stream in and
 * out; no implementation holds a whole blob in memory.
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  sha256: string;
  size: number;
}

/** Inclusive byte range, as HTTP Range requests name it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /**
   * Store the bytes of `source` and return their SHA-256 and size. Storing bytes the store
   * already holds keeps one copy. Nothing is stored when `source` fails.
   */
  put(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobInfo>;
  /** The blob's bytes (or the inclusive `range` of them), or null when it is not stored. */
  get(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** The blob's size, or null when it is not stored. */
  stat(sha256: string): Promise<BlobInfo | null>;
  has(sha256: string): Promise<boolean>;
  /** Remove the blob; nothing happens when it is not stored. */
  delete(sha256: string): Promise<void>;
  /** Every stored blob's hash (tests and maintenance scan with it). */
  list(): AsyncIterable<string>;
  /** Remove what puts interrupted by a crash left behind, if it was started before `before` (ms). */
  sweepPartial(before: number): Promise<void>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
