/**
 * The attachments' parts for one deployment: rows and bytes in PostgreSQL (cluster), or rows
 * in the SQLite file and bytes under DATA_DIR/blobs (embedded); the token key; the lifecycle.
 */
import { join } from 'node:path';
import type { Config } from '../config';
import type { Storage } from '../store/storage';
import { SqliteStorage } from '../store/sqlite-storage';
import { PgStorage } from '../store/pg/storage';
import type { AttachmentRef } from '../../shared/attachments';
import type { AttachmentStore } from './attachment-store';
import type { BlobStore } from './blob-store';
import { AttachmentTokens } from './attachment-token';
import { AttachmentLifecycle } from './attachment-lifecycle';
import { FsBlobStore } from './fs-blob-store';
import { PgBlobStore } from './pg-blob-store';
import { PgAttachmentStore } from './pg-attachment-store';
import { SqliteAttachmentStore } from './sqlite-attachment-store';
import { sweepUploads } from './receive-upload';

export interface Attachments {
  store: AttachmentStore;
  blobs: BlobStore;
  tokens: AttachmentTokens;
  lifecycle: AttachmentLifecycle;
  /** The validator's check: is `ref` `userId`'s upload to `conversationId`, unaltered? */
  verify: (conversationId: string, ref: AttachmentRef, userId: string) => boolean;
}

/** Where uploads wait while they are inspected (local to the process's machine). */
export const uploadTmpDir = (dataDir: string): string => join(dataDir, 'uploads-tmp');

/** Where embedded mode keeps attachment bytes (`npm run backup` copies it). */
export const blobDir = (dataDir: string): string => join(dataDir, 'blobs');

export function openAttachments(
  storage: Storage,
  config: Config,
  onError: (what: string, error: unknown) => void,
): Attachments {
  let store: AttachmentStore;
  let blobs: BlobStore;
  if (storage instanceof PgStorage) {
    store = new PgAttachmentStore(storage.pool);
    blobs = new PgBlobStore(storage.pool);
  } else if (storage instanceof SqliteStorage) {
    store = new SqliteAttachmentStore(storage.db);
    blobs = new FsBlobStore(blobDir(config.dataDir));
  } else {
    throw new Error('attachments need SQLite or PostgreSQL storage');
  }
  const tokens = new AttachmentTokens(config.sessionSecret);
  const lifecycle = new AttachmentLifecycle(store, blobs, {
    orphanAgeMs: config.attachmentOrphanMs,
    sweepEveryMs: config.attachmentSweepMs,
    onError,
    sweepTemporary: (before) => sweepUploads(uploadTmpDir(config.dataDir), before),
  });
  return {
    store,
    blobs,
    tokens,
    lifecycle,
    verify: (conversationId, ref, userId) => tokens.verify(conversationId, ref, userId),
  };
}
