/**
 * Streams an upload's body into a temporary file, refusing it (413, nothing kept) the moment
 * it passes the limit. Nothing here trusts the client: the file's type is decided later from
 * its bytes (inspect-upload.ts).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../errors';

export interface Received {
  path: string;
  size: number;
  /** Remove the temporary file (idempotent). */
  discard(): Promise<void>;
}

export function tooLarge(limitBytes: number): AppError {
  return new AppError(
    'too-large',
    `This file is too large: attachments may be at most ${Math.round(limitBytes / (1024 * 1024))} MB.`,
    { Connection: 'close' },
  );
}

/** Remove uploads a crash left in `tmpDir` (files started before `before`, ms). */
export async function sweepUploads(tmpDir: string, before: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return;
  }
  for (const name of names) {
    const started = Number(name.split('-')[0]);
    if (Number.isFinite(started) && started < before) await rm(join(tmpDir, name), { force: true });
  }
}

export async function receiveUpload(
  body: Readable,
  declaredLength: number | null,
  limitBytes: number,
  tmpDir: string,
): Promise<Received> {
  if (declaredLength !== null && declaredLength > limitBytes) {
    body.resume(); // discard what the client still sends
    throw tooLarge(limitBytes);
  }
  mkdirSync(tmpDir, { recursive: true });
  const path = join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const discard = (): Promise<void> => rm(path, { force: true });
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let size = 0;
  try {
    for await (const chunk of body) {
      const c = chunk as Buffer;
      size += c.byteLength;
      if (size > limitBytes) {
        body.resume();
        throw tooLarge(limitBytes);
      }
      if (!out.write(c)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    out.end();
    await finished(out);
  } catch (e) {
    out.destroy();
    await discard();
    if (e instanceof AppError) throw e;
    throw new AppError('invalid-input', 'The upload was interrupted; try again.');
  }
  if (size === 0) {
    await discard();
    throw new AppError('invalid-input', 'The file is empty.');
  }
  return { path, size, discard };
}
