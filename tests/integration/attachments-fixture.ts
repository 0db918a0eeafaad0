/**
 * Parley servers for the attachment tests, in both deployments: embedded (SQLite and the
 * blob directory) and on PostgreSQL (rows and blob chunks in the database). Each exposes
 * what a test scans to prove bytes are gone: the stored blobs' hashes and the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { PgStorage } from '../../server/store/pg/storage';
import { createTestDatabase, requirePostgres } from '../helpers/services';
import { TestClient } from '../helpers/client';
import type { AttachmentRef } from '../../shared/attachments';

export interface AttachmentServer {
  app: App;
  origin: string;
  wsUrl: string;
  dataDir: string;
  /** Every blob the store holds. */
  blobs(): Promise<string[]>;
  /** How many attachment rows exist. */
  rows(): Promise<number>;
  stop(): Promise<void>;
}

export type Deployment = 'sqlite' | 'postgres';

export async function startAttachmentServer(
  kind: Deployment,
  overrides: Partial<Config> = {},
): Promise<AttachmentServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-att-'));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      staticDir: null,
      bcryptCost: 4,
      registerMaxPerHour: 10_000,
      presenceGraceMs: 200,
      sessionSecret: 'y'.repeat(40),
      ...overrides,
    },
  );
  const log = createLogger((process.env.TEST_LOG as 'debug' | undefined) ?? 'error');
  let drop = (): Promise<void> => Promise.resolve();
  let storage: PgStorage | undefined;
  if (kind === 'postgres') {
    await requirePostgres();
    const db = await createTestDatabase();
    drop = db.drop;
    storage = await PgStorage.open(db.url, { max: 4 });
  }
  const app = await createApp({ config, log, ...(storage ? { storage } : {}) });
  return {
    app,
    origin: app.origin,
    dataDir,
    wsUrl: `ws://127.0.0.1:${app.port}/sync`,
    blobs: async () => {
      const out: string[] = [];
      for await (const h of app.attachments.blobs.list()) out.push(h);
      return out.sort();
    },
    rows: async () => {
      if (app.db)
        return (app.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n;
      const r = await storage!.pool.query<{ n: string }>('SELECT count(*) AS n FROM attachments');
      return Number(r.rows[0]?.n ?? 0);
    },
    stop: async () => {
      await app.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let keys = 0;
export const uploadKey = (): string =>
  `k${Date.now().toString(36)}x${(keys++).toString(36)}`.padEnd(16, '0');

export interface UploadResult {
  status: number;
  body: { attachment?: AttachmentRef; error?: { code: string; message: string } };
}

/** POST the bytes as the client does (raw body, percent-encoded name). */
export async function upload(
  client: TestClient,
  conversationId: string,
  bytes: Uint8Array,
  opts: { name?: string; key?: string; kind?: string; durationMs?: number } = {},
): Promise<UploadResult> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    Origin: client.appOrigin,
    'Upload-Key': opts.key ?? uploadKey(),
    'X-File-Name': encodeURIComponent(opts.name ?? 'photo.jpg'),
    ...(client.cookie ? { Cookie: client.cookie } : {}),
  };
  if (opts.kind) headers['X-Attachment-Kind'] = opts.kind;
  if (opts.durationMs !== undefined) headers['X-Duration-Ms'] = String(opts.durationMs);
  const res = await fetch(`${client.origin}/api/conversations/${conversationId}/attachments`, {
    method: 'POST',
    headers,
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as UploadResult['body']) : {} };
}

export async function download(
  client: TestClient,
  conversationId: string,
  id: string,
  suffix = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(
    `${client.origin}/api/conversations/${conversationId}/attachments/${id}${suffix}`,
    { headers: { ...(client.cookie ? { Cookie: client.cookie } : {}), ...headers } },
  );
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A JPEG with a GPS position and a camera in its EXIF, turned by EXIF orientation 6. */
export async function photoWithGps(background = '#c04020'): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'SpyCam', Model: 'Tracker 3000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2964/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4032/100',
      },
    })
    .toBuffer();
}
