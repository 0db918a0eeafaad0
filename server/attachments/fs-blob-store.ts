/**
 * Blobs as files under one directory (embedded mode: DATA_DIR/blobs): `ab/abcdef…` by
 * SHA-256. A put streams into `tmp/`, hashing as it goes, fsyncs the file, renames it into
 * place and fsyncs the directory, so a blob is either whole on disk or absent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SHA256_HEX, type BlobInfo, type BlobStore, type ByteRange } from './blob-store';

export class FsBlobStore implements BlobStore {
  private readonly tmp: string;

  constructor(readonly dir: string) {
    this.tmp = join(dir, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
  }

  private path(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobInfo> {
    const temp = join(this.tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    // The file is opened (and exists) before the first chunk is read, and every write is
    // awaited, so a failing source leaves nothing in flight that could recreate the file
    // after the cleanup below removed it.
    const fh = await open(temp, 'wx', 0o600);
    try {
      try {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.byteLength;
          await writeAll(fh, chunk);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const sha256 = hash.digest('hex');
      const target = this.path(sha256);
      const parent = join(this.dir, sha256.slice(0, 2));
      mkdirSync(parent, { recursive: true });
      await rename(temp, target);
      await syncDir(parent);
      return { sha256, size };
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable | null> {
    if (!(await this.has(sha256))) return null;
    return createReadStream(this.path(sha256), range ? { start: range.start, end: range.end } : {});
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    try {
      const s = await stat(this.path(sha256));
      return { sha256, size: s.size };
    } catch {
      return null;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async delete(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) return;
    await rm(this.path(sha256), { force: true });
  }

  async sweepPartial(before: number): Promise<void> {
    for (const name of await readdir(this.tmp)) {
      const started = Number(name.split('-')[0]);
      if (Number.isFinite(started) && started < before)
        await rm(join(this.tmp, name), { force: true });
    }
  }

  async *list(): AsyncIterable<string> {
    for (const sub of await readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of await readdir(join(this.dir, sub)))
        if (SHA256_HEX.test(name) && name.startsWith(sub)) yield name;
    }
  }
}

/** Write a whole chunk (a write may take fewer bytes than it was given). */
async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.byteLength - done);
    done += bytesWritten;
  }
}

/** fsync a directory so a rename in it survives power loss (best effort where unsupported). */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}
