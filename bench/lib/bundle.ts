/** Sizes of the built client: every JS and CSS asset gzipped, and the JavaScript a first load needs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSizes {
  jsFiles: number;
  jsGzipKb: number;
  cssGzipKb: number;
  /** Entry scripts of index.html, their modulepreloads and everything they import statically. */
  initialJsGzipKb: number;
  initialJsFiles: string[];
}

const gz = (buf: Buffer): number => gzipSync(buf, { level: 9 }).byteLength;

export function bundleSizes(distDir: string): BundleSizes | null {
  const assets = join(distDir, 'assets');
  if (!existsSync(assets)) return null;
  const files = readdirSync(assets);
  let js = 0;
  let css = 0;
  let jsFiles = 0;
  for (const f of files) {
    if (f.endsWith('.js')) {
      js += gz(readFileSync(join(assets, f)));
      jsFiles++;
    } else if (f.endsWith('.css')) css += gz(readFileSync(join(assets, f)));
  }
  const initial = new Set<string>();
  const html = existsSync(join(distDir, 'index.html'))
    ? readFileSync(join(distDir, 'index.html'), 'utf8')
    : '';
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]+src="\/?assets\/([^"]+\.js)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/?assets\/([^"]+\.js)"/g))
    queue.push(m[1]!);
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (initial.has(f) || !existsSync(join(assets, f))) continue;
    initial.add(f);
    const src = readFileSync(join(assets, f), 'utf8');
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`.
    for (const m of src.matchAll(
      /(?:^|[;}\s])import\s*(?:[^'"();]*?\sfrom\s*)?["']\.\/([^"']+\.js)["']/g,
    ))
      queue.push(m[1]!);
  }
  let initialJs = 0;
  for (const f of initial) initialJs += gz(readFileSync(join(assets, f)));
  return {
    jsFiles,
    jsGzipKb: js / 1024,
    cssGzipKb: css / 1024,
    initialJsGzipKb: initialJs / 1024,
    initialJsFiles: [...initial],
  };
}
