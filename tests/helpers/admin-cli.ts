/** Run the real admin CLI (`npm run admin`'s script) as a child process, as an operator would. */
import { spawn } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runAdminCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      env: { ...process.env, BCRYPT_COST: '4', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
    proc.stdin.end(stdin);
  });
}

/** Run a command with `--json` that must succeed; returns its parsed output. */
export async function adminJson<T = Record<string, unknown>>(
  args: readonly string[],
  env: Record<string, string>,
  stdin = '',
): Promise<T> {
  const r = await runAdminCli([...args, '--json'], env, stdin);
  if (r.code !== 0)
    throw new Error(`admin ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** The secret of a one-time link (`/reset?token=…`). */
export const tokenOf = (link: string): string => new URL(link).searchParams.get('token') ?? '';
