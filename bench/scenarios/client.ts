/**
 * client: the built PWA in Chromium (Playwright, Debian's /usr/bin/chromium). A
 * 10,000-message conversation is seeded through the server, opened once online (it lands
 * in IndexedDB), then opened again with the network off: time until the newest messages
 * are visible, then a scroll to the top with frame timing; plus the bundle sizes.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { Context, ScenarioResult } from '../lib/context';
import { openConversation, register, runTag } from '../lib/http';
import { REPO_ROOT } from '../lib/server';
import { seedConversation } from '../lib/seed';
import { bundleSizes } from '../lib/bundle';
import { summarizeProfile } from '../lib/profile';
import { dist, round } from '../lib/util';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface BenchWindow {
  __bench: {
    needle: string | null;
    found: number | null;
    /** When the list stopped being busy: the whole document loaded, not a cached preview. */
    full: number | null;
    error: string | null;
  };
}

/**
 * Runs in the page from the first script on: polls once per animation frame for a visible
 * element whose text contains the needle, searching open shadow roots, and records
 * `performance.now()` (ms since navigation start) when it appears.
 */
function installProbe(a: { needle: string }): void {
  const { needle } = a;
  const w = window as unknown as BenchWindow;
  w.__bench = { needle, found: null, full: null, error: null };
  let scope: (Document | ShadowRoot) | null = null;
  const roots = (): (Document | ShadowRoot)[] => {
    const out: (Document | ShadowRoot)[] = [document];
    for (let i = 0; i < out.length; i++) {
      for (const el of out[i]!.querySelectorAll('*')) if (el.shadowRoot) out.push(el.shadowRoot);
    }
    return out;
  };
  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    return (
      r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
    );
  };
  const check = (): boolean => {
    if (!scope) {
      scope = roots().find((r) => r.querySelector('[data-message-id]')) ?? null;
      if (!scope) return false;
    }
    const items = scope.querySelectorAll('[data-message-id]');
    // The newest messages are at the end of the list.
    for (let i = items.length - 1; i >= Math.max(0, items.length - 50); i--) {
      const el = items[i]!;
      if (el.textContent?.includes(needle) && visible(el)) return true;
    }
    return false;
  };
  const tick = (): void => {
    try {
      if (w.__bench.found === null && check()) w.__bench.found = performance.now();
      // The whole document is loaded when the log stops being busy (before that it shows the
      // cached newest messages); a build without aria-busy shows nothing before it is loaded.
      const log = scope?.querySelector('[role="log"]');
      if (w.__bench.found !== null && log && log.getAttribute('aria-busy') !== 'true') {
        w.__bench.full = performance.now();
        return;
      }
    } catch (e) {
      w.__bench.error = String(e);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

interface ScrollStats {
  frames: number;
  dropped: number;
  worstMs: number;
  p95Ms: number;
  ms: number;
  reachedOldest: boolean;
  renderedItems: number;
  error: string | null;
}

/** In the page: scroll the message list to the top, `step` px per frame, timing every frame. */
async function scrollToTop(a: {
  oldest: string;
  step: number;
  capMs: number;
}): Promise<ScrollStats> {
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++)
    for (const el of roots[i]!.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  const scope = roots.find((r) => r.querySelector('[data-message-id]'));
  const first = scope?.querySelector('[data-message-id]');
  const stats: ScrollStats = {
    frames: 0,
    dropped: 0,
    worstMs: 0,
    p95Ms: 0,
    ms: 0,
    reachedOldest: false,
    renderedItems: scope ? scope.querySelectorAll('[data-message-id]').length : 0,
    error: null,
  };
  if (!scope || !first) return { ...stats, error: 'no message list' };
  let box: Element | null = first;
  const parentOf = (el: Element): Element | null =>
    el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
  while (box) {
    const s = getComputedStyle(box);
    if (/(auto|scroll)/.test(s.overflowY) && box.scrollHeight > box.clientHeight) break;
    box = parentOf(box);
  }
  if (!box) return { ...stats, error: 'no scroll container' };
  const el = box;
  const oldestVisible = (): boolean => {
    for (const m of scope.querySelectorAll('[data-message-id]')) {
      if (m.textContent?.includes(a.oldest)) {
        const r = m.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      }
    }
    return false;
  };
  const deltas: number[] = [];
  const t0 = performance.now();
  let last = t0;
  let atTop = 0;
  await new Promise<void>((resolve) => {
    const frame = (t: number): void => {
      deltas.push(t - last);
      last = t;
      if (el.scrollTop <= 0) atTop++;
      else atTop = 0;
      if ((atTop > 0 && oldestVisible()) || atTop > 60 || t - t0 > a.capMs) {
        stats.reachedOldest = oldestVisible();
        return resolve();
      }
      el.scrollTop = Math.max(0, el.scrollTop - a.step);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  deltas.shift();
  deltas.sort((x, y) => x - y);
  const interval = 1000 / 60;
  stats.frames = deltas.length;
  stats.dropped = deltas.reduce((n, d) => n + Math.max(0, Math.round(d / interval) - 1), 0);
  stats.worstMs = deltas[deltas.length - 1] ?? 0;
  stats.p95Ms = deltas[Math.floor(deltas.length * 0.95)] ?? 0;
  stats.ms = performance.now() - t0;
  return stats;
}

/** Times of one open (ms from navigation start): newest message visible, whole list loaded. */
interface OpenTimes {
  found: number;
  full: number;
}

async function openAndTime(
  page: Page,
  url: string,
  reload: boolean,
  timeoutMs: number,
): Promise<OpenTimes> {
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    () => {
      const b = (window as unknown as BenchWindow).__bench;
      if (b.error) return { found: -1, full: -1 };
      return b.found !== null && b.full !== null ? { found: b.found, full: b.full } : null;
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  const v = (await handle.jsonValue()) as OpenTimes;
  if (v.found < 0) throw new Error('probe failed in the page');
  return v;
}

export async function client(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const total = ctx.opts.messages ?? (smoke ? 500 : 10_000);
  const distDir = join(REPO_ROOT, 'dist/client');
  const result: ScenarioResult = {
    scenario: 'client',
    rows: [],
    columns: ['metric', 'value', 'unit', 'note'],
    targets: [],
    notes: [],
    profiles: [],
  };
  const row = (metric: string, value: number | string, unit: string, note = ''): void => {
    result.rows.push({
      metric,
      value: typeof value === 'number' ? round(value) : value,
      unit,
      note,
    });
  };
  const sizes = bundleSizes(distDir);
  if (sizes) {
    row(
      'initial JavaScript, gzipped',
      sizes.initialJsGzipKb,
      'KB',
      sizes.initialJsFiles.join(', '),
    );
    row('all JavaScript, gzipped', sizes.jsGzipKb, 'KB', `${sizes.jsFiles} files`);
    row('all CSS, gzipped', sizes.cssGzipKb, 'KB');
    result.targets.push({
      target: 'client: initial JavaScript < 120 KB gzipped',
      reached: `${round(sizes.initialJsGzipKb)} KB`,
      met: sizes.initialJsGzipKb < 120,
    });
  }
  if (!existsSync(join(distDir, 'index.html'))) {
    result.skipped = 'client not built (dist/client/index.html is missing; run `npm run build`)';
    return result;
  }
  if (!existsSync(CHROMIUM)) {
    result.skipped = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    return result;
  }
  // The worst case of a live document: all `total` messages in it, one short of being sealed
  // (with the default 10,000 a 10,000-message conversation would just have been sealed).
  const server = await ctx.startServer('client', { EPOCH_MESSAGES: String(total + 1) });
  result.notes.push(
    `The server runs with EPOCH_MESSAGES ${total + 1}: the live document holds all ${total} messages, the largest a live document gets.`,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  let context: BrowserContext | null = null;
  try {
    const tag = runTag();
    const a = await register(server.origin, `${tag}-a`);
    const b = await register(server.origin, `${tag}-b`);
    const conv = await openConversation(server.origin, a, b.user.id);
    ctx.log(`client: seeding ${total} messages`);
    await seedConversation(server, [a, b], conv.doc, total, 5, 2);
    const newest = `seed ${total - 1} `;
    const oldest = `seed 0 `;

    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const [name, ...rest] = a.cookie.split('=');
    await context.addCookies([{ name: name!, value: rest.join('='), url: server.origin }]);
    // tsx (esbuild keepNames) wraps nested functions in `__name(...)`: give the page one.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await context.addInitScript(installProbe, { needle: newest });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const url = `${server.origin}/c/${conv.id}`;
    const online = (await openAndTime(page, url, false, 60_000)).found;
    row(
      'first open, online (sync from server)',
      online,
      'ms',
      'navigation start → newest message visible',
    );
    // Let the synced document settle into IndexedDB.
    await page
      .locator('parley-conversation-view section[data-sync-state="synced"]')
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await page.waitForTimeout(smoke ? 500 : 2000);

    const hasSw = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
    if (hasSw) {
      await context.setOffline(true);
      result.notes.push(
        'Offline opens: the browser context offline; the service worker serves the app shell.',
      );
    } else {
      // Without a service worker an offline reload cannot load the app at all: cut the data
      // network instead (API and sync sockets fail), the app shell still comes from the server.
      await context.route('**/api/**', (r) => r.abort('internetdisconnected'));
      await context.routeWebSocket(/\/sync\//, (ws) => ws.close({ code: 1006 }));
      result.notes.push(
        'No service worker controls the page yet, so the offline opens cut only the data network (API requests and sync sockets fail); the app shell still loads from the server.',
      );
    }
    const runs = smoke ? 1 : Number(process.env.BENCH_OPENS ?? 3);
    const offline: number[] = [];
    const offlineFull: number[] = [];
    for (let i = 0; i < runs; i++) {
      // --profile: a Chromium CPU profile of the last offline open (the page's main thread).
      const cdp = ctx.opts.profile && i === runs - 1 ? await context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      const times = await openAndTime(page, url, true, 60_000);
      offline.push(times.found);
      offlineFull.push(times.full);
      if (process.env.BENCH_TIMELINE) {
        const tl = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const r = (n: number): number => Math.round(n);
          return {
            nav: {
              responseEnd: r(nav.responseEnd),
              domInteractive: r(nav.domInteractive),
              dcl: r(nav.domContentLoadedEventEnd),
              load: r(nav.loadEventEnd),
            },
            res: performance
              .getEntriesByType('resource')
              .map(
                (e) =>
                  `${e.name.replace(/.*\//, '')} ${r(e.startTime)}-${r((e as PerformanceResourceTiming).responseEnd)}`,
              ),
            marks: performance.getEntriesByType('mark').map((m) => `${m.name}@${r(m.startTime)}`),
          };
        });
        console.log(JSON.stringify(tl));
      }
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        const file = ctx.profileFile('client-open');
        writeFileSync(file, JSON.stringify(profile));
        result.profiles.push({
          title: 'client: open from IndexedDB (page main thread)',
          summary: summarizeProfile(file),
        });
        await cdp.detach();
      }
    }
    const od = dist(offline);
    row(
      'open from IndexedDB, network off',
      od.p50,
      'ms',
      `median of ${runs} (${offline.map((v) => round(v)).join(', ')}); navigation start → newest message visible`,
    );
    const of = dist(offlineFull);
    row(
      'open from IndexedDB: whole document loaded',
      of.p50,
      'ms',
      `median of ${runs} (${offlineFull.map((v) => round(v)).join(', ')}); navigation start → the list shows the document (aria-busy false); before that, the newest messages cached at the last visit`,
    );
    result.targets.push({
      target: `client: newest messages visible < 300 ms from IndexedDB (${total} messages)`,
      reached: `${round(od.p50)} ms`,
      met: smoke ? null : od.p50 < 300,
    });
    const cdp = ctx.opts.profile ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const scroll = await page.evaluate(scrollToTop, {
      oldest,
      step: 1500,
      capMs: smoke ? 3000 : 20_000,
    });
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const file = ctx.profileFile('client-scroll');
      writeFileSync(file, JSON.stringify(profile));
      result.profiles.push({
        title: 'client: scroll to the top (page main thread)',
        summary: summarizeProfile(file),
      });
      await cdp.detach();
    }
    if (scroll.error) result.notes.push(`Scroll test: ${scroll.error}.`);
    row(
      'message elements rendered',
      scroll.renderedItems,
      'elements',
      `of ${total} messages; a virtualized list renders about a screenful`,
    );
    row(
      'scroll to top: frames',
      scroll.frames,
      'frames',
      `${round(scroll.ms)} ms, 1500 px per frame, reached the oldest message: ${scroll.reachedOldest ? 'yes' : 'no'}`,
    );
    row('scroll to top: dropped frames', scroll.dropped, 'frames', 'missed 60 Hz vsyncs');
    row(
      'scroll to top: worst / p95 frame',
      `${round(scroll.worstMs)} / ${round(scroll.p95Ms)}`,
      'ms',
    );
    result.targets.push({
      target: 'client: smooth scroll (only what is on screen is rendered)',
      reached: `${scroll.dropped} dropped of ${scroll.frames + scroll.dropped} frames, worst ${round(scroll.worstMs)} ms; ${scroll.renderedItems} elements rendered`,
      met: smoke
        ? null
        : scroll.dropped <= scroll.frames * 0.05 && scroll.renderedItems < total / 2,
    });
    if (pageErrors.length > 0)
      result.notes.push(`Page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  } finally {
    await context?.close().catch(() => undefined);
    await browser.close();
    await server.stop();
  }
  return result;
}
