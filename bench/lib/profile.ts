/** Summarize a V8 .cpuprofile: where the sampled time went, by function (self time) and by package. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './server';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of samples in which the thread was idle (waiting for I/O). */
  idlePct: number;
  top: ProfileEntry[];
  byPackage: { name: string; selfMs: number; pct: number }[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? url.slice(7) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const path = url.startsWith('file://') ? url.slice(7) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  if (path.startsWith('node:')) return 'node (built-in)';
  const rel = shortUrl(url);
  return rel.split('/').slice(0, 2).join('/');
}

export function summarizeProfile(file: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Samples under the inspector's own calls (stopping the profiler) are not the server's work.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const overhead = new Set<number>();
  for (const n of p.nodes) {
    for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)?.callFrame.url === 'node:inspector') {
        overhead.add(n.id);
        break;
      }
    }
  }
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    if (overhead.has(id)) continue;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, ProfileEntry>();
  const pkg = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    let where = n.callFrame.url ? `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '';
    if (!where && !name.startsWith('(')) {
      // A native function (a SQLite statement, a socket write): name its nearest JS callers
      // outside Node's internals and better-sqlite3's wrapper.
      const callers: string[] = [];
      for (
        let cur = parent.get(id);
        cur !== undefined && callers.length < 2;
        cur = parent.get(cur)
      ) {
        const f = byId.get(cur)?.callFrame;
        if (!f?.url || f.url.startsWith('node:') || f.url.includes('better-sqlite3')) continue;
        callers.push(`${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`);
      }
      where = callers.length > 0 ? `native ← ${callers.join(' ← ')}` : 'native';
    }
    const key = `${name}|${where}`;
    const e = fn.get(key) ?? { name, where, selfMs: 0, pct: 0 };
    e.selfMs += us / 1000;
    fn.set(key, e);
    const pk = packageOf(n.callFrame.url, name);
    pkg.set(pk, (pkg.get(pk) ?? 0) + us / 1000);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const pctOf = (ms: number): number => (busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0);
  const top = [...fn.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, topN)
    .map((e) => ({ ...e, selfMs: Math.round(e.selfMs), pct: pctOf(e.selfMs) }));
  const byPackage = [...pkg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), pct: pctOf(ms) }));
  return {
    file: relative(REPO_ROOT, file),
    totalMs: Math.round(totalUs / 1000),
    idlePct: totalUs > 0 ? Math.round((idleUs / totalUs) * 1000) / 10 : 0,
    top,
    byPackage,
  };
}

/** Markdown lines for a profile summary (percentages of non-idle samples). */
export function profileMarkdown(s: ProfileSummary, title: string): string[] {
  const lines = [
    `**Server CPU profile — ${title}** (\`${s.file}\`, ${s.totalMs} ms sampled, ${s.idlePct}% idle; shares of busy time)`,
    '',
    '| self ms | % | function | where |',
    '| ---: | ---: | --- | --- |',
    ...s.top.map((e) => `| ${e.selfMs} | ${e.pct} | \`${e.name}\` | ${e.where} |`),
    '',
    `By package: ${s.byPackage.map((p) => `${p.name} ${p.pct}%`).join(', ')}`,
    '',
  ];
  return lines;
}
