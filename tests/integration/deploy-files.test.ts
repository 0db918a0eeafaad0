/**
 * The shipped deployment files are what docs/operations.md says: systemd accepts the units and
 * they carry the hardening and limits the guide promises; Caddy accepts the Caddyfile. (The
 * nginx file and the Caddyfile also run for real: balancer.test.ts, caddy.test.ts.)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CADDY, CADDYFILE } from '../helpers/caddy';

const run = promisify(execFile);
const UNITS = ['deploy/systemd/parley.service', 'deploy/systemd/parley@.service'];

/** `key=value` settings of a unit file's section (repeated keys kept in order). */
function settings(file: string, section: string): [string, string][] {
  const out: [string, string][] = [];
  let current = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = head[1]!;
    else if (current === section) {
      const i = line.indexOf('=');
      out.push([line.slice(0, i), line.slice(i + 1)]);
    }
  }
  return out;
}

describe('deployment files', () => {
  it.each(UNITS)('systemd accepts %s without a warning', async (unit) => {
    const r = await run('systemd-analyze', ['verify', unit]);
    expect(`${r.stdout}${r.stderr}`).toBe('');
  });

  it.each(UNITS)('%s runs hardened, restarts, and allows 10,000+ connections', (unit) => {
    const svc = new Map(settings(unit, 'Service'));
    expect(svc.get('User')).toBe('parley');
    expect(svc.get('ProtectSystem')).toBe('strict');
    expect(svc.get('ReadWritePaths')).toBe('/var/lib/parley');
    expect(svc.get('NoNewPrivileges')).toBe('yes');
    expect(svc.get('UMask')).toBe('0077');
    expect(svc.get('Restart')).toBe('on-failure');
    expect(svc.get('RestartPreventExitStatus')).toBe('78 70');
    expect(Number(svc.get('LimitNOFILE'))).toBeGreaterThanOrEqual(20_000);
    expect(svc.get('EnvironmentFile')).toBe('/etc/parley/parley.env');
    expect(svc.get('ExecStartPost')).toBe('/usr/bin/node scripts/wait-ready.mjs');
  });

  it('Caddy accepts the Caddyfile', async () => {
    const r = await run(CADDY, ['validate', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
      env: { ...process.env, HOME: '/tmp', XDG_DATA_HOME: '/tmp', XDG_CONFIG_HOME: '/tmp' },
    });
    expect(`${r.stdout}${r.stderr}`).toContain('Valid configuration');
  });
});
