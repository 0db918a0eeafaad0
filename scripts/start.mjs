// `npm start`: build the client when the build is missing or older than its sources,
// then run the server in this process (TypeScript through tsx).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const built = join(root, 'dist/client/index.html');
const sources = [
  'client',
  'shared',
  'sw',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
];
const stale =
  !existsSync(built) ||
  Math.max(...sources.map((s) => newestMtime(join(root, s)))) > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the client (first start or sources changed)…');
  const r = spawnSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['vite', 'build', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    console.error('Parley cannot start: the client build failed (see above).');
    process.exit(r.status ?? 1);
  }
}

const { register } = await import('tsx/esm/api');
register();
await import('../server/main.ts');
