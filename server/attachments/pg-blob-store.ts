/**
 * Blobs in PostgreSQL (cluster mode): every process reads what any process stored. A put
 * writes 256 KB chunks under a fresh blob id as the bytes stream in, then names the blob by
 * its SHA-256 in `blobs` (or drops its chunks when those bytes are already stored). Reads
 * fetch one chunk at a time: memory stays bounded whatever the blob's size.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { first, rows, run, statement, type Queryable } from '../store/pg/pool';
import { SHA256_HEX, type BlobInfo, type BlobStore, type ByteRange } from './blob-store';

export const CHUNK_BYTES = 256 * 1024;

const q = {
  chunk: statement('INSERT INTO blob_chunks (blob_id, seq, data, created) VALUES ($1, $2, $3, $4)'),
  name: statement(
    `INSERT INTO blobs (sha256, blob_id, size, created) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO NOTHING RETURNING blob_id`,
  ),
  dropChunks: statement('DELETE FROM blob_chunks WHERE blob_id = $1'),
  stat: statement('SELECT blob_id, size FROM blobs WHERE sha256 = $1'),
  read: statement('SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2'),
  delete: statement(
    `WITH d AS (DELETE FROM blobs WHERE sha256 = $1 RETURNING blob_id)
     DELETE FROM blob_chunks WHERE blob_id IN (SELECT blob_id FROM d)`,
  ),
  list: statement('SELECT sha256 FROM blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT 500'),
  partial: statement(
    `DELETE FROM blob_chunks c WHERE c.created < $1
     AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.blob_id = c.blob_id)`,
  ),
};

export class PgBlobStore implements BlobStore {
  /** A pool, or one client inside a transaction (`npm run migrate` copies blobs in its own). */
  constructor(private readonly pool: Queryable) {}

  async put(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobInfo> {
    const blobId = randomBytes(12).toString('base64url');
    const started = Date.now();
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean): Promise<void> => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending);
        const data = joined.subarray(0, CHUNK_BYTES);
        const rest = joined.subarray(data.byteLength);
        pending = rest.byteLength > 0 ? [rest] : [];
        pendingBytes = rest.byteLength;
        await run(this.pool, q.chunk, [blobId, seq++, data, started]);
      }
    };
    try {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.byteLength;
        pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        pendingBytes += chunk.byteLength;
        await flush(false);
      }
      await flush(true);
      const sha256 = hash.digest('hex');
      const named = await first(this.pool, q.name, [sha256, blobId, size, Date.now()]);
      // Already stored: keep the first copy.
      if (!named) await run(this.pool, q.dropChunks, [blobId]);
      return { sha256, size };
    } catch (e) {
      await run(this.pool, q.dropChunks, [blobId]).catch(() => undefined);
      throw e;
    }
  }

  private async row(sha256: string): Promise<{ blob_id: string; size: number } | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    return (await first<{ blob_id: string; size: number }>(this.pool, q.stat, [sha256])) ?? null;
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable | null> {
    const row = await this.row(sha256);
    if (!row) return null;
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? row.size - 1, row.size - 1);
    const pool = this.pool;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = Math.floor(start / CHUNK_BYTES); seq * CHUNK_BYTES <= end; seq++) {
        const r = await first<{ data: Buffer }>(pool, q.read, [row!.blob_id, seq]);
        if (!r) throw new Error(`blob ${sha256} lost its chunk ${seq}`);
        const base = seq * CHUNK_BYTES;
        const from = Math.max(0, start - base);
        const to = Math.min(r.data.byteLength, end - base + 1);
        yield r.data.subarray(from, to);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    const row = await this.row(sha256);
    return row ? { sha256, size: row.size } : null;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.row(sha256)) !== null;
  }

  async delete(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) return;
    await run(this.pool, q.delete, [sha256]);
  }

  async *list(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const page = await rows<{ sha256: string }>(this.pool, q.list, [after]);
      for (const r of page) yield r.sha256;
      const last = page[page.length - 1];
      if (!last || page.length < 500) return;
      after = last.sha256;
    }
  }

  async sweepPartial(before: number): Promise<void> {
    await run(this.pool, q.partial, [before]);
  }
}
