/**
 * How the benchmark starts the server: exactly `server/main.ts` (the production entry),
 * plus a control channel over Node's IPC that the benchmark uses between measurements:
 * `gc` (needs --expose-gc) so that memory is read after a full collection, and
 * `prof-start` / `prof-stop` to CPU-profile only the measured window (inspector API,
 * the same sampler as `node --cpu-prof`). Nothing here runs unless the benchmark asks.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

type Command =
  | { id: number; cmd: 'gc' }
  | { id: number; cmd: 'prof-start'; intervalUs: number }
  | { id: number; cmd: 'prof-stop'; file: string };

let session: Session | null = null;

async function handle(c: Command): Promise<Record<string, unknown>> {
  switch (c.cmd) {
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        gc();
      }
      return { memory: process.memoryUsage(), gc: Boolean(gc) };
    }
    case 'prof-start': {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: c.intervalUs });
      await session.post('Profiler.start');
      return {};
    }
    case 'prof-stop': {
      if (!session) throw new Error('profiler not started');
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(c.file, JSON.stringify(profile));
      session.disconnect();
      session = null;
      return { file: c.file };
    }
  }
}

if (process.send) {
  process.on('message', (raw) => {
    const c = raw as Command;
    handle(c)
      .then((result) => process.send?.({ id: c.id, ok: true, ...result }))
      .catch((e: unknown) => process.send?.({ id: c.id, ok: false, error: String(e) }));
  });
  // The benchmark died: do not outlive it.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}

await import('../../server/main');
