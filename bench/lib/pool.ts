/**
 * Worker threads running bench/worker.ts under tsx. Node 20 does not pass `--import tsx`
 * hooks to workers, so each one registers tsx's ESM loader before importing the worker.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerCommand, WorkerReply } from './protocol';

type Ok<O extends WorkerReply['op']> = Extract<WorkerReply, { ok: true; op: O }>;

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queues: ((r: WorkerReply | Error) => void)[][] = [];

  constructor(readonly size: number) {
    const api = import.meta.resolve('tsx/esm/api');
    const target = new URL('../worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
    for (let i = 0; i < size; i++) {
      const w = new Worker(code, { eval: true });
      const queue: ((r: WorkerReply | Error) => void)[] = [];
      w.on('message', (r: WorkerReply) => queue.shift()?.(r));
      w.on('error', (e) => {
        for (const cb of queue.splice(0)) cb(e);
      });
      w.on('exit', (code) => {
        for (const cb of queue.splice(0)) cb(new Error(`worker exited with ${code}`));
      });
      this.workers.push(w);
      this.queues.push(queue);
    }
  }

  /** Send one command to worker `i` and wait for its reply (commands are answered in order). */
  call<O extends WorkerCommand['op']>(
    i: number,
    cmd: Extract<WorkerCommand, { op: O }>,
  ): Promise<Ok<O>> {
    return new Promise((resolve, reject) => {
      this.queues[i]!.push((r) => {
        if (r instanceof Error) reject(r);
        else if (!r.ok) reject(new Error(`worker ${i} ${r.op}: ${r.error}`));
        else resolve(r as Ok<O>);
      });
      this.workers[i]!.postMessage(cmd);
    });
  }

  /** The same command to every worker. */
  all<O extends WorkerCommand['op']>(cmd: Extract<WorkerCommand, { op: O }>): Promise<Ok<O>[]> {
    return Promise.all(this.workers.map((_, i) => this.call(i, cmd)));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Split `items` into `n` contiguous, nearly equal chunks. */
export function chunk<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const size = Math.ceil(items.length / n);
  for (let i = 0; i < n; i++) out.push(items.slice(i * size, (i + 1) * size));
  return out;
}
