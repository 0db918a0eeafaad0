/**
 * The shipped nginx configuration (deploy/nginx/parley.conf) run for tests: the template with
 * the cluster's process addresses and a free loopback port filled in, nginx in the foreground
 * as our own child (`-p <tmpdir>`, pid, logs and temp files there), stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './child-server';

export const NGINX = '/usr/sbin/nginx';
export const TEMPLATE = fileURLToPath(new URL('../../deploy/nginx/parley.conf', import.meta.url));

/** One line of the `parley` access log format. */
export interface AccessEntry {
  request: string;
  status: number;
  /** What nginx tried, in order ("127.0.0.1:1, 127.0.0.1:2" when it moved on). */
  upstream: string;
}

export interface Balancer {
  proc: ChildProcess;
  /** `http://127.0.0.1:<port>`, where clients talk to the cluster. */
  origin: string;
  /** `ws://127.0.0.1:<port>/sync`, the y-websocket base URL through the balancer. */
  wsUrl: string;
  /** The access log so far (a WebSocket's line is written when it closes). */
  accessLog(): AccessEntry[];
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Fill in the template: every run of `server <addr> <params>;` lines in an upstream block
 * becomes one line per process (the params kept), `listen 80;` the loopback port, and the
 * access log path the test's own. Throws when the template no longer has those shapes, so
 * that a change to the shipped file cannot leave the test running something else.
 */
export function renderConfig(
  template: string,
  upstreams: string[],
  port: number,
  accessLog: string,
): string {
  const lines = template.split('\n');
  const out: string[] = [];
  let runs = 0;
  let inRun = false;
  for (const line of lines) {
    const m = /^(\s*)server\s+[^\s;{]+:\d+((?:\s+[^;\s]+)*)\s*;\s*$/.exec(line);
    if (!m) {
      inRun = false;
      out.push(line);
      continue;
    }
    if (inRun) continue;
    inRun = true;
    runs++;
    for (const addr of upstreams) out.push(`${m[1]}server ${addr}${m[2] ?? ''};`);
  }
  if (runs !== 2)
    throw new Error(`expected two upstream server lists in the template, found ${runs}`);
  let conf = out.join('\n');
  const listen = /^(\s*)listen\s+80;$/m;
  if (!listen.test(conf)) throw new Error('expected "listen 80;" in the template');
  conf = conf.replace(listen, `$1listen 127.0.0.1:${port};`);
  const log = '/var/log/nginx/parley.access.log';
  if (!conf.includes(log)) throw new Error(`expected the access log ${log} in the template`);
  return conf.replace(log, accessLog);
}

export function parseAccessLog(text: string): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /"([^"]*)" (\d{3}) \d+ upstream=(.*) upstream_status=/.exec(line);
    if (m) entries.push({ request: m[1]!, status: Number(m[2]), upstream: m[3]! });
  }
  return entries;
}

export interface BalancerOptions {
  /** The loopback port to listen on (default: a free one); the bench picks it first so that
   * the processes' PUBLIC_ORIGIN can name it. */
  port?: number;
  /** nginx's worker_connections (default 1024); a proxied socket uses two. */
  workerConnections?: number;
}

/** Start nginx in front of `origins` (the processes' `http://host:port`). */
export async function startBalancer(
  origins: string[],
  options: BalancerOptions = {},
): Promise<Balancer> {
  if (!existsSync(NGINX)) {
    throw new Error(
      `${NGINX} is missing: the balancer tests need nginx (apt-get install nginx-light)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  // Run as root (CI), nginx's workers drop to "nobody" and must reach the temp paths.
  chmodSync(dir, 0o755);
  const port = options.port ?? (await freePort());
  const workerConnections = options.workerConnections ?? 1024;
  const accessPath = join(dir, 'access.log');
  const errorPath = join(dir, 'error.log');
  const upstreams = origins.map((o) => new URL(o).host);
  writeFileSync(
    join(dir, 'parley.conf'),
    renderConfig(readFileSync(TEMPLATE, 'utf8'), upstreams, port, accessPath),
  );
  // The main context Debian's nginx.conf would give, with every path in the temp dir.
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `worker_rlimit_nofile ${2 * workerConnections + 64};`,
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${errorPath} info;`,
      `events { worker_connections ${workerConnections}; }`,
      'http {',
      `  client_body_temp_path ${join(dir, 'client_body')};`,
      `  proxy_temp_path ${join(dir, 'proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
      `  include ${join(dir, 'parley.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  let out = '';
  const proc = spawn(NGINX, ['-p', dir, '-e', errorPath, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const read = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const origin = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise<void>((done) => {
      const finish = (): void => {
        rmSync(dir, { recursive: true, force: true });
        done();
      };
      if (proc.exitCode !== null || proc.signalCode !== null) return finish();
      proc.once('exit', finish);
      // SIGTERM: the master stops its workers; SIGKILL would leave them running.
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) {
      const why = `nginx exited with ${proc.exitCode}: ${out} ${read(errorPath)}`;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(why);
    }
    try {
      // Any answer means nginx listens (behind dead processes it answers 503).
      await fetch(`${origin}/healthz`);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc,
    origin,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    accessLog: () => parseAccessLog(read(accessPath)),
    errorLog: () => read(errorPath),
    stop,
  };
}
