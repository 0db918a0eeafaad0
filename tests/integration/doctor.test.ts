/**
 * `npm run doctor` against real deployments: an embedded DATA_DIR a server used, and a
 * PostgreSQL database with Redis. It passes on a healthy setup and finds what is wrong.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import {
  createRedisPrefix,
  createTestDatabase,
  requireServices,
  type TestDatabase,
} from '../helpers/services';
import { PgStorage } from '../../server/store/pg/storage';
import { PG_SCHEMA_VERSION } from '../../server/store/pg/migrations';
import type { DoctorReport } from '../../server/admin/doctor';

/** Run `npm run doctor` (its script, as npm does) with `env`; exit code and output. */
function doctor(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const clean = { ...process.env };
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET', 'PUBLIC_ORIGIN', 'DATA_DIR'])
      delete clean[k];
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts', ...args], {
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

const problems = (r: DoctorReport): string[] =>
  r.findings.filter((f) => f.severity === 'problem').map((f) => `${f.check}: ${f.message}`);

describe('doctor, embedded', () => {
  let dataDir: string;
  beforeAll(async () => {
    // A data directory a real server created and used, then stopped.
    dataDir = mkdtempSync(join(tmpdir(), 'parley-doctor-'));
    writeFileSync(join(dataDir, 'session-secret'), `${'s'.repeat(40)}\n`, { mode: 0o600 });
    const server = await startTestServer({ sessionSecret: undefined }, dataDir);
    await new TestClient(server.origin).register('doc@example.com', 'Doc');
    await server.stop();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('passes on a healthy data directory', async () => {
    const r = await doctor({ DATA_DIR: dataDir }, ['--json']);
    const report = JSON.parse(r.out) as DoctorReport;
    expect(problems(report)).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.mode).toBe('embedded');
    const checks = new Set(report.findings.map((f) => f.check));
    for (const c of ['configuration', 'database', 'migrations', 'disk', 'permissions'])
      expect(checks).toContain(c);
    const human = await doctor({ DATA_DIR: dataDir });
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/quick_check ok/);
    expect(human.out).toMatch(/All good/);
  }, 60_000);

  it('finds a world-readable session secret and says how to fix it', async () => {
    const secret = join(dataDir, 'session-secret');
    chmodSync(secret, 0o644);
    try {
      const r = await doctor({ DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.out).toContain(`PROBLEM  permissions   ${secret} is readable by every user`);
      expect(r.out).toContain(`fix: chmod 600 ${secret}`);
    } finally {
      chmodSync(secret, 0o600);
    }
  }, 60_000);

  it('finds a world-readable env file given with --env-file, and reads its settings', async () => {
    const envFile = join(dataDir, 'parley.env');
    writeFileSync(envFile, `DATA_DIR=${dataDir}\nPORT=eighty\n`, { mode: 0o644 });
    try {
      const r = await doctor({}, ['--json', '--env-file', envFile]);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out) as DoctorReport;
      expect(problems(report)).toEqual([
        'configuration: PORT must be an integer 0–65535, got "eighty"',
        `permissions: ${envFile} is readable by every user of this machine (mode 644)`,
      ]);
    } finally {
      rmSync(envFile);
    }
  }, 60_000);

  it('finds a damaged database', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'parley-doctor-damaged-'));
    try {
      writeFileSync(
        join(broken, 'parley.db'),
        Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]),
        { mode: 0o600 },
      );
      const r = await doctor({ DATA_DIR: broken });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/PROBLEM {2}database .*parley\.db/);
      expect(r.out).toMatch(/restore the latest backup/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('doctor, cluster', () => {
  let db: TestDatabase;
  const redis = createRedisPrefix();
  let env: Record<string, string>;
  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    const storage = await PgStorage.open(db.url); // migrated, as a cluster process leaves it
    await storage.close();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      SESSION_SECRET: 'c'.repeat(40),
      PUBLIC_ORIGIN: 'https://chat.example.com',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-doctor-cluster-')),
    };
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(env.DATA_DIR!, { recursive: true, force: true });
  });

  it('passes when PostgreSQL is migrated and Redis answers', async () => {
    const r = await doctor(env, ['--json']);
    const report = JSON.parse(r.out) as DoctorReport;
    expect(problems(report)).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.mode).toBe('cluster');
    expect(report.findings.find((f) => f.check === 'redis')?.severity).toBe('ok');
  }, 60_000);

  it('finds a database one migration behind the code', async () => {
    const pg = await PgStorage.open(db.url);
    try {
      await pg.pool.query('DELETE FROM schema_migrations WHERE version = $1', [PG_SCHEMA_VERSION]);
    } finally {
      await pg.close();
    }
    const r = await doctor(env);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `PostgreSQL schema at version ${PG_SCHEMA_VERSION - 1}; this code expects ${PG_SCHEMA_VERSION} (1 migration not applied)`,
    );
    expect(r.out).toMatch(/fix: back up, then \(re\)start Parley/);
  }, 60_000);

  it('finds Redis and PostgreSQL that do not answer, and cluster settings that are missing', async () => {
    const r = await doctor(
      {
        ...env,
        REDIS_URL: 'redis://127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
      },
      ['--json'],
    );
    expect(r.code).toBe(1);
    const found = problems(JSON.parse(r.out) as DoctorReport);
    expect(
      found.some((p) => p.startsWith('redis: Redis at redis://127.0.0.1:1 does not answer')),
    ).toBe(true);
    expect(found.some((p) => p.startsWith('database: PostgreSQL at'))).toBe(true);

    const noSecret = { ...env, SESSION_SECRET: '' };
    const s = await doctor(noSecret);
    expect(s.code).toBe(1);
    expect(s.out).toMatch(/cluster mode \(DATABASE_URL\) needs SESSION_SECRET/);
  }, 60_000);
});
