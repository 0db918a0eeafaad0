/** `npm run admin -- <command>`: see server/admin/cli.ts and docs/operations.md, "Admin". */
import { runAdmin } from '../server/admin/cli';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const code = await runAdmin(process.argv.slice(2), {
  env: process.env,
  readStdin,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
