/** Results files: bench/results/<date>.json (merged per scenario) and the Markdown table. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Cell, ScenarioResult } from './context';
import { profileMarkdown } from './profile';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGb: number;
  node: string;
  loadAvgAtStart: number[];
  openFilesLimit: string;
  /** The commit measured, with "+local changes" when server/ or shared/ differ from it. */
  commit: string;
}

export interface ScenarioRecord extends ScenarioResult {
  command: string;
  startedAt: string;
  durationS: number;
  machine: MachineInfo;
  error?: string;
}

export interface ResultsFile {
  date: string;
  scenarios: Record<string, ScenarioRecord>;
}

export function machineInfo(): MachineInfo {
  let openFilesLimit = '?';
  try {
    const m = /Max open files\s+(\S+)\s+(\S+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) openFilesLimit = `${m[1]} soft / ${m[2]} hard`;
  } catch {
    // not Linux
  }
  let commit = '?';
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    commit = git('rev-parse', '--short', 'HEAD');
    if (git('status', '--porcelain', '--', 'server', 'shared') !== '') commit += ' +local changes';
  } catch {
    // not a git checkout
  }
  return {
    commit,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAvgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    openFilesLimit,
  };
}

function cell(v: Cell[string] | undefined): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '—';
  return String(v).replace(/\|/g, '\\|');
}

export function table(columns: string[], rows: Cell[]): string[] {
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`),
  ];
}

export function scenarioMarkdown(r: ScenarioRecord, withProfiles = true): string[] {
  const out = [`## ${r.scenario}`, '', `\`${r.command}\` — ${r.startedAt}, ${r.durationS} s`, ''];
  const m = r.machine;
  out.push(
    `Commit ${m.commit ?? '?'}. Machine: ${m.cpus} × ${m.cpuModel}, ${m.memGb} GB, Node ${m.node}, load average at start ${m.loadAvgAtStart.join(' / ')}, open files ${m.openFilesLimit}.`,
    '',
  );
  if (r.error) out.push(`**Failed:** ${r.error}`, '');
  if (r.skipped) out.push(`**Skipped:** ${r.skipped}`, '');
  if (r.rows.length > 0) out.push(...table(r.columns, r.rows), '');
  if (r.targets.length > 0) {
    out.push('| target | reached | met |', '| --- | --- | --- |');
    for (const t of r.targets)
      out.push(
        `| ${t.target} | ${t.reached} | ${t.met === null ? 'n/a' : t.met ? 'yes' : '**no**'} |`,
      );
    out.push('');
  }
  for (const n of r.notes) out.push(`- ${n}`);
  if (r.notes.length > 0) out.push('');
  if (withProfiles) for (const p of r.profiles) out.push(...profileMarkdown(p.summary, p.title));
  return out;
}

const ORDER = ['steady', 'ramp', 'idle', 'history', 'client', 'docsize'];

export function resultsMarkdown(f: ResultsFile): string {
  const names = Object.keys(f.scenarios).sort(
    (a, b) => ((ORDER.indexOf(a) + 99) % 99) - ((ORDER.indexOf(b) + 99) % 99),
  );
  const out = [
    `# Parley benchmark results — ${f.date}`,
    '',
    'Produced by `npm run bench` (see docs/benchmarks.md); each section names the exact command.',
    '',
  ];
  for (const n of names) out.push(...scenarioMarkdown(f.scenarios[n]!));
  return `${out.join('\n').trimEnd()}\n`;
}

/** Merge `records` into `<dir>/<date>.json` (a later run of a scenario replaces the earlier) and rewrite the Markdown. */
export function writeResults(dir: string, records: ScenarioRecord[]): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const json = join(dir, `${date}.json`);
  const md = join(dir, `${date}.md`);
  const file: ResultsFile = existsSync(json)
    ? (JSON.parse(readFileSync(json, 'utf8')) as ResultsFile)
    : { date, scenarios: {} };
  for (const r of records) file.scenarios[r.scenario] = r;
  writeFileSync(json, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(md, resultsMarkdown(file));
  return { json, md };
}
