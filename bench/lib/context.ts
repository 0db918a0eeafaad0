/** What every scenario gets, and what it returns. */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileSummary } from './profile';
import { ServerProcess, REPO_ROOT } from './server';
import { mapLimit } from './util';
import { clusterTarget, embeddedTarget, type Target } from './target';
import { openConversation, register, runTag, type Account } from './http';

export interface Options {
  smoke: boolean;
  workers: number;
  profile: boolean;
  keep: boolean;
  /** Users keep their event stream (`GET /api/events`) open, as the client does. */
  events: boolean;
  /** steady, ramp: sockets send receipts (101) and read markers as the client does. */
  receipts: boolean;
  /** Scenario parameters from the command line (already parsed). */
  pairs?: number[];
  conns?: number[];
  rates?: number[];
  durationS?: number;
  messages?: number;
  turn?: number;
  /** The server's EPOCH_MESSAGES; unset: the server's default. */
  epochMessages?: number;
  /**
   * steady and ramp: process counts to run in cluster mode (PostgreSQL + Redis behind
   * nginx); 0 is the embedded server. Unset: embedded only.
   */
  cluster?: number[];
}

export interface Cell {
  [column: string]: string | number | boolean | null;
}

export interface ScenarioResult {
  scenario: string;
  /** One row per size or step; the Markdown table shows `columns` of them. */
  rows: Cell[];
  columns: string[];
  /** Targets of the issue, each with what was reached. */
  targets: { target: string; reached: string; met: boolean | null }[];
  notes: string[];
  profiles: { title: string; summary: ProfileSummary }[];
  skipped?: string;
  /**
   * A part failed but the others' rows are kept (a multi-mode run: one mode's failure does
   * not discard the others' figures); the run still fails.
   */
  failed?: string[];
}

export class Context {
  readonly tmpRoot: string;
  private seq = 0;

  constructor(
    readonly opts: Options,
    readonly runId: string,
  ) {
    this.tmpRoot = join(REPO_ROOT, 'bench/tmp', runId);
    mkdirSync(this.tmpRoot, { recursive: true });
  }

  log(msg: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  }

  /** A fresh server with its own data directory under bench/tmp. */
  async startServer(label: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const dir = join(this.tmpRoot, `${label}-${++this.seq}`);
    const server = await ServerProcess.start({
      dataDir: join(dir, 'data'),
      logFile: join(dir, 'server.log'),
      env: { ...env, ...this.epochEnv() },
    });
    this.log(`server ${label} pid ${server.pid} on port ${server.port}`);
    return server;
  }

  /** The modes the rate scenarios run: 0 = embedded, N = a cluster of N processes. */
  get modes(): number[] {
    return this.opts.cluster ?? [0];
  }

  /**
   * The embedded server (`processes` 0) or a fresh cluster of `processes` behind nginx that
   * must carry `maxClientConnections` client connections at once (sockets and event streams).
   */
  async startTarget(
    label: string,
    processes: number,
    maxClientConnections: number,
  ): Promise<Target> {
    if (processes === 0) return embeddedTarget(await this.startServer(label));
    const dir = join(this.tmpRoot, `${label}-cluster${processes}-${++this.seq}`);
    const target = await clusterTarget({
      processes,
      dir,
      env: this.epochEnv(),
      maxClientConnections,
    });
    this.log(
      `cluster ${label}: ${processes} process(es) (pids ${target.servers
        .map((s) => s.pid)
        .join(', ')}) behind nginx at ${target.origin}`,
    );
    return target;
  }

  private epochEnv(): Record<string, string> {
    return this.opts.epochMessages !== undefined
      ? { EPOCH_MESSAGES: String(this.opts.epochMessages) }
      : {};
  }

  profileFile(name: string): string {
    const dir = join(REPO_ROOT, 'bench/tmp/prof');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${this.runId}-${name}.cpuprofile`);
  }

  cleanup(): void {
    if (!this.opts.keep) rmSync(this.tmpRoot, { recursive: true, force: true });
  }
}

export interface Pair {
  a: Account;
  b: Account;
  doc: string;
  conversationId: string;
}

/** Register 2n users and open one conversation per pair (setup; not measured). */
export async function makePairs(origin: string, n: number): Promise<Pair[]> {
  const tag = runTag();
  const accounts = await mapLimit(
    Array.from({ length: 2 * n }, (_, i) => i),
    16,
    (i) => register(origin, `${tag}-${i}`),
  );
  return mapLimit(
    Array.from({ length: n }, (_, i) => i),
    16,
    async (i) => {
      const a = accounts[2 * i]!;
      const b = accounts[2 * i + 1]!;
      const c = await openConversation(origin, a, b.user.id);
      return { a, b, doc: c.doc, conversationId: c.id };
    },
  );
}
