/**
 * The server under test as a child process: `node --import tsx bench/lib/server-entry.ts`
 * (which runs server/main.ts) on a free port with its own DATA_DIR. CPU and memory are read
 * from /proc by PID; it is stopped with SIGTERM (SIGKILL after a timeout) by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, memKb, type MemKb } from './proc';
import { sleep } from './util';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = join(REPO_ROOT, 'bench/lib/server-entry.ts');

export interface ServerOptions {
  dataDir: string;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** Extra environment (overrides the benchmark defaults). */
  env?: Record<string, string>;
  /**
   * A fixed port (default: PORT=0, read from the start line). Cluster mode needs it: there
   * the start line names PUBLIC_ORIGIN (the balancer), not the process's own port.
   */
  port?: number;
}

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
  memory?: NodeJS.MemoryUsage;
  gc?: boolean;
}

export class ServerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly pid: number,
    readonly port: number,
    readonly opts: ServerOptions,
  ) {
    child.on('message', (m) => {
      const r = m as Reply;
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
    });
    this.exited = new Promise((res) => {
      if (child.exitCode !== null) res(child.exitCode);
      else
        child.once('exit', (code) => {
          this.exitCode = code;
          res(code);
        });
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}/sync`;
  }

  static async start(opts: ServerOptions): Promise<ServerProcess> {
    mkdirSync(opts.dataDir, { recursive: true });
    mkdirSync(dirname(opts.logFile), { recursive: true });
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(opts.port ?? 0),
        HOST: '127.0.0.1',
        DATA_DIR: opts.dataDir,
        BCRYPT_COST: '4',
        REGISTER_MAX_PER_HOUR: '100000000',
        LOG_LEVEL: 'warn',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stderr?.pipe(log);
    const port = await new Promise<number>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => {
        rej(new Error(`server did not start within 30 s; see ${opts.logFile}`));
      }, 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        log.write(chunk);
        out += chunk.toString();
        const m = /running at https?:\/\/[^:\s]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(opts.port ?? Number(m[1]));
          out = '';
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`server exited with ${code} during start; see ${opts.logFile}`));
      });
    });
    if (child.pid === undefined) throw new Error('server has no pid');
    const server = new ServerProcess(child, child.pid, port, opts);
    // First request warms up the HTTP stack (lazy module loads, JIT).
    await fetch(`${server.origin}/healthz`).then((r) => r.text());
    return server;
  }

  /** A second server on the same data directory (after `stop`). */
  restart(): Promise<ServerProcess> {
    return ServerProcess.start(this.opts);
  }

  cpuMs(): number {
    return cpuMs(this.pid);
  }

  mem(): MemKb {
    return memKb(this.pid);
  }

  private call(msg: Record<string, unknown>, timeoutMs = 60_000): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rej(new Error(`server control ${String(msg.cmd)} timed out`));
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        if (r.ok) res(r);
        else rej(new Error(r.error ?? 'server control failed'));
      });
      this.child.send({ id, ...msg });
    });
  }

  /** Full garbage collection in the server; returns its memory afterwards. */
  async gc(): Promise<{ rssKb: number; heapUsedKb: number; externalKb: number }> {
    const r = await this.call({ cmd: 'gc' });
    await sleep(50);
    const m = r.memory;
    return {
      rssKb: this.mem().rssKb,
      heapUsedKb: m ? Math.round(m.heapUsed / 1024) : NaN,
      externalKb: m ? Math.round((m.external + m.arrayBuffers) / 1024) : NaN,
    };
  }

  async profileStart(intervalUs = 1000): Promise<void> {
    await this.call({ cmd: 'prof-start', intervalUs });
  }

  async profileStop(file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    await this.call({ cmd: 'prof-stop', file });
  }

  /** Size on disk of the SQLite database (main file, WAL and shared memory), in bytes. */
  dbBytes(): { db: number; wal: number; shm: number } {
    const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);
    const base = join(this.opts.dataDir, 'parley.db');
    return { db: size(base), wal: size(`${base}-wal`), shm: size(`${base}-shm`) };
  }

  /** SIGTERM by PID; SIGKILL when it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = sleep(timeoutMs).then(() => 'timeout' as const);
    const r = await Promise.race([this.exited, timer]);
    if (r === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** The last lines the server logged (for error reports). */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
