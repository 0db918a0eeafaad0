/**
 * The BlobStore contract: files under a directory (embedded) and chunks in PostgreSQL
 * (cluster) must both pass it. `other` is a second handle on the same storage (another
 * process), so what one stores the other reads.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../server/attachments/blob-store';

export interface BlobStoreHandles {
  store: BlobStore;
  other?: BlobStore;
  teardown: () => void | Promise<void>;
}

function* chunked(bytes: Buffer, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('no blob');
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function listAll(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const h of store.list()) out.push(h);
  return out.sort();
}

export function runBlobStoreContract(
  name: string,
  setup: () => BlobStoreHandles | Promise<BlobStoreHandles>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    const withStore =
      (fn: (store: BlobStore, other: BlobStore) => Promise<void>) => async (): Promise<void> => {
        const { store, other, teardown } = await setup();
        try {
          await fn(store, other ?? store);
        } finally {
          await teardown();
        }
      };

    it(
      'stores streamed bytes under their SHA-256 and gives them back whole, to another handle too',
      withStore(async (store, other) => {
        const bytes = randomBytes(700 * 1024 + 13);
        const info = await store.put(chunked(bytes, 64 * 1024 + 1));
        expect(info).toEqual({ sha256: sha(bytes), size: bytes.byteLength });
        expect(await other.has(info.sha256)).toBe(true);
        expect(await other.stat(info.sha256)).toEqual(info);
        expect((await readAll(await other.get(info.sha256))).equals(bytes)).toBe(true);
      }),
    );

    it(
      'serves byte ranges across chunk boundaries',
      withStore(async (store) => {
        const bytes = randomBytes(600 * 1024);
        const { sha256 } = await store.put(chunked(bytes, 100_000));
        for (const [start, end] of [
          [0, 0],
          [10, 262_150],
          [262_144, 262_144 * 2 + 5],
          [bytes.byteLength - 7, bytes.byteLength - 1],
        ] as const) {
          const part = await readAll(await store.get(sha256, { start, end }));
          expect(part.equals(bytes.subarray(start, end + 1))).toBe(true);
        }
      }),
    );

    it(
      'keeps one copy of the same bytes stored twice, and empty blobs work',
      withStore(async (store, other) => {
        const bytes = randomBytes(1000);
        const a = await store.put(chunked(bytes, 300));
        const b = await other.put(chunked(bytes, 7));
        expect(b).toEqual(a);
        const empty = await store.put(chunked(Buffer.alloc(0), 1));
        expect(empty.size).toBe(0);
        expect((await readAll(await store.get(empty.sha256))).byteLength).toBe(0);
        expect(await listAll(store)).toEqual([a.sha256, empty.sha256].sort());
      }),
    );

    it(
      'deletes a blob for every handle; unknown hashes are absent',
      withStore(async (store, other) => {
        const bytes = randomBytes(300 * 1024);
        const { sha256 } = await store.put(chunked(bytes, 50_000));
        await other.delete(sha256);
        expect(await store.has(sha256)).toBe(false);
        expect(await store.get(sha256)).toBeNull();
        expect(await store.stat(sha256)).toBeNull();
        expect(await listAll(store)).toEqual([]);
        await store.delete(sha256); // twice is fine
        expect(await store.get('0'.repeat(64))).toBeNull();
        expect(await store.has('../../etc/passwd')).toBe(false);
      }),
    );

    it(
      'stores nothing when the source fails midway',
      withStore(async (store) => {
        async function* failing(): AsyncGenerator<Uint8Array> {
          yield randomBytes(300 * 1024);
          await Promise.resolve();
          throw new Error('connection reset');
        }
        await expect(store.put(failing())).rejects.toThrow('connection reset');
        expect(await listAll(store)).toEqual([]);
        await store.sweepPartial(Date.now() + 1000);
        expect(await listAll(store)).toEqual([]);
      }),
    );
  });
}
