/**
 * Vite: builds the client (index.html at the repo root, entry client/main.ts) into
 * dist/client, which the server serves; `npm run dev` proxies the API and the sync
 * sockets to a server on :8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const backend = process.env.PARLEY_BACKEND ?? 'http://127.0.0.1:8080';

/**
 * The server refuses state-changing requests and socket upgrades from other origins, and
 * the dev page's origin (:5173) is not the server's: present the backend's own origin.
 */
const asBackend = {
  target: backend,
  configure: (proxy: {
    on(
      event: 'proxyReq' | 'proxyReqWs',
      fn: (req: { setHeader(k: string, v: string): void }) => void,
    ): void;
  }) => {
    const rewrite = (req: { setHeader(k: string, v: string): void }): void =>
      req.setHeader('origin', new URL(backend).origin);
    proxy.on('proxyReq', rewrite);
    proxy.on('proxyReqWs', rewrite);
  },
};

/**
 * Lit's static styles (`css\`…\`` without interpolations) lose their comments and
 * indentation in the build, so the first load's script is smaller (docs/benchmarks.md).
 * Whitespace runs become one space (strings in the CSS keep their meaning) or one line
 * break, so every line stays where it was and the source maps stay right.
 */
const compactLitCss = {
  name: 'parley-compact-lit-css',
  enforce: 'pre' as const,
  apply: 'build' as const,
  transform(code: string, id: string) {
    if (!/\/client\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
    const compacted = code.replace(/\bcss`([^`$\\]*)`/g, (_m, body: string) => {
      const compact = body
        .replace(/\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//g, (c) => c.replace(/[^\n]+/g, ''))
        .replace(/\s+/g, (w) => (w.includes('\n') ? '\n'.repeat(w.split('\n').length - 1) : ' '));
      return `css\`${compact}\``;
    });
    return { code: compacted, map: null };
  },
};

/**
 * yjs logs through `lib0/logging`, whose in-page console pulls `lib0/dom` and `lib0/schema`
 * into the first load: in the build, yjs gets the plain console of client/shims/lib0-logging.ts.
 */
const slimYjsLogging = {
  name: 'parley-slim-yjs-logging',
  enforce: 'pre' as const,
  apply: 'build' as const,
  resolveId(source: string, importer: string | undefined) {
    if (source !== 'lib0/logging' || !importer?.includes('/node_modules/yjs/')) return null;
    return fileURLToPath(new URL('./client/shims/lib0-logging.ts', import.meta.url));
  },
};

export default defineConfig({
  root: '.',
  publicDir: 'public',
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The polyfill only fetches `modulepreload` links early in browsers without them
    // (Safari before 17): a speed hint that costs every first load 0.2 KB gzipped.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Every module of the entry's static graph goes in the entry chunk: the first load
        // is one script and one gzip stream instead of six (Lit, protocol, errors, api…
        // were split out because the lazy chunks share them). docs/benchmarks.md.
        codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
      },
    },
  },
  plugins: [
    compactLitCss,
    slimYjsLogging,
    // The service worker (sw/sw.ts) is built by a second Vite build and gets the precache
    // list injected. The manifest is public/manifest.webmanifest, linked from index.html.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        // The app shell and static assets; never source maps.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        globIgnores: ['**/*.map'],
        // Vite puts a content hash in every /assets/ file name: no revision needed.
        dontCacheBustURLsMatching: /^assets\//,
        minify: true,
        sourcemap: false,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: {
    proxy: {
      '/api': asBackend,
      '/sync': { ...asBackend, ws: true },
    },
  },
});
