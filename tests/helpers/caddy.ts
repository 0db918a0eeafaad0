/**
 * Run the shipped Caddyfile (deploy/caddy/Caddyfile) for real in front of Parley processes:
 * only the site address (plain http on a loopback port instead of a TLS host name), the
 * upstream and the log path are replaced, and Caddy's admin endpoint is turned off so that
 * several can run at once. Stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CADDY = '/usr/bin/caddy';
export const CADDYFILE = fileURLToPath(new URL('../../deploy/caddy/Caddyfile', import.meta.url));

/** The shipped file with this test's address, upstream and log; throws when they moved. */
export function renderCaddyfile(
  template: string,
  port: number,
  upstream: string,
  logFile: string,
): string {
  const swaps: [string, string][] = [
    ['chat.example.com {', `http://127.0.0.1:${port} {`],
    ['reverse_proxy 127.0.0.1:8080 {', `reverse_proxy ${upstream} {`],
    ['/var/log/caddy/parley.access.log', logFile],
  ];
  let out = template;
  for (const [from, to] of swaps) {
    if (!out.includes(from)) throw new Error(`expected "${from}" in the Caddyfile`);
    out = out.replace(from, to);
  }
  return `{\n\tadmin off\n}\n\n${out}`;
}

export interface Caddy {
  proc: ChildProcess;
  origin: string;
  stop(): Promise<void>;
}

/** Start Caddy on `port` in front of `upstream` (host:port). */
export async function startCaddy(port: number, upstream: string): Promise<Caddy> {
  if (!existsSync(CADDY))
    throw new Error(`${CADDY} is missing: the Caddy suite needs it (apt-get install caddy)`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-caddy-'));
  const file = join(dir, 'Caddyfile');
  writeFileSync(
    file,
    renderCaddyfile(readFileSync(CADDYFILE, 'utf8'), port, upstream, join(dir, 'access.log')),
  );
  let out = '';
  const proc = spawn(CADDY, ['run', '--config', file, '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise<void>((done) => {
      const finish = (): void => {
        rmSync(dir, { recursive: true, force: true });
        done();
      };
      if (proc.exitCode !== null || proc.signalCode !== null) return finish();
      proc.once('exit', finish);
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`caddy exited with ${proc.exitCode}: ${out}`);
    }
    try {
      await fetch(`${origin}/healthz`);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not answer: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, origin, stop };
}
