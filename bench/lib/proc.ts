/**
 * CPU and memory of another process, from /proc (Linux). `process.cpuUsage()` cannot see a
 * child process, so the server's CPU is read from /proc/<pid>/stat (utime + stime).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // getconf missing: Linux's USER_HZ is 100 nearly everywhere.
}

/** User and system CPU time of `pid` in milliseconds (all its threads). */
export function cpuSplitMs(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after it are fixed.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: (Number(rest[11]) * 1000) / ticksPerSecond,
    sys: (Number(rest[12]) * 1000) / ticksPerSecond,
  };
}

/** User + system CPU time of `pid` in milliseconds (all its threads). */
export function cpuMs(pid: number): number {
  const { user, sys } = cpuSplitMs(pid);
  return user + sys;
}

export interface MemKb {
  /** Resident set now. */
  rssKb: number;
  /** Peak resident set since the process started. */
  hwmKb: number;
}

export function memKb(pid: number): MemKb {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : NaN;
  };
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** Machine-wide busy and total CPU time in ms, summed over all cores (from /proc/stat). */
export function systemCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: ((total - idle) * 1000) / ticksPerSecond, total: (total * 1000) / ticksPerSecond };
}

/** This process's CPU time (all threads, workers included) in ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Summed user + system (`total`) and system CPU of `pids`, in ms. */
export function sumCpu(pids: readonly number[]): { total: number; sys: number } {
  let total = 0;
  let sys = 0;
  for (const pid of pids) {
    const c = cpuSplitMs(pid);
    total += c.user + c.sys;
    sys += c.sys;
  }
  return { total, sys };
}

/** The PIDs whose parent is `ppid` (e.g. nginx's workers under its master), from /proc. */
export function childPids(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === ppid) out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * A window over which server, generator and the rest of the machine used CPU. `other` is
 * what neither the server nor the generator used: colleagues' tests, the OS.
 */
export class CpuWindow {
  private readonly server0: number;
  private readonly serverSys0: number;
  private readonly self0: number;
  private readonly sys0: { busy: number; total: number };
  private readonly t0 = performance.now();

  /** `serverPids`: every server process (one embedded, N in cluster mode); their CPU is summed. */
  constructor(private readonly serverPids: readonly number[]) {
    this.server0 = sumCpu(serverPids).total;
    this.serverSys0 = sumCpu(serverPids).sys;
    this.self0 = selfCpuMs();
    this.sys0 = systemCpuMs();
  }

  read(): {
    wallMs: number;
    serverMs: number;
    serverSysMs: number;
    generatorMs: number;
    otherMs: number;
  } {
    const now = sumCpu(this.serverPids);
    const serverMs = now.total - this.server0;
    const serverSysMs = now.sys - this.serverSys0;
    const generatorMs = selfCpuMs() - this.self0;
    const sys = systemCpuMs();
    const busy = sys.busy - this.sys0.busy;
    return {
      wallMs: performance.now() - this.t0,
      serverMs,
      serverSysMs,
      generatorMs,
      otherMs: Math.max(0, busy - serverMs - generatorMs),
    };
  }
}
