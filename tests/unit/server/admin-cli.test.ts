/**
 * The admin CLI's parser in-process (the integration test runs the real process): every
 * command has --help (exit 0) and usage errors exit 2, before any storage is opened.
 */
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../../server/admin/cli';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runAdmin(args, {
    // No DATA_DIR: a command that reached the storage would fail with exit 1, not 0 or 2.
    env: { DATA_DIR: '/nonexistent/parley-admin-cli-test' },
    readStdin: () => Promise.resolve(''),
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  });
  return { code, out, err };
}

const COMMANDS = [
  [],
  ['users'],
  ['users', 'list'],
  ['users', 'search'],
  ['users', 'show'],
  ['users', 'create'],
  ['users', 'disable'],
  ['users', 'enable'],
  ['users', 'reset-password'],
  ['users', 'delete'],
  ['users', 'make-admin'],
  ['users', 'revoke-admin'],
  ['registration'],
  ['invites'],
  ['invites', 'create'],
  ['invites', 'list'],
  ['invites', 'revoke'],
  ['audit'],
];

describe('admin CLI usage', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(none)', c] as const))(
    'prints help for %s with exit code 0',
    async (_name, command) => {
      const r = await run([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: admin${command.length ? ` ${command.join(' ')}` : ''}`);
      if (command.length === 2) expect(r.out).toContain('--json');
    },
  );

  it('exits 2 on an unknown command, a bad option value, a missing argument or a bad mode', async () => {
    for (const args of [
      ['frobnicate'],
      ['users'],
      ['invites', 'create', '--uses', '0'],
      ['invites', 'create', '--expires', 'forever'],
      ['users', 'show'],
      ['users', 'create', '--email', 'a@example.com'],
      ['registration', 'sometimes'],
      ['users', 'delete', 'a@example.com'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.length, args.join(' ')).toBeGreaterThan(0);
    }
  });
});
