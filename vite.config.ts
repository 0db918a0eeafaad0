/**
 * Vite: builds the client (index.html at the repo root, entry client/main.ts) into
 * dist/client, which the server serves; `npm run dev` proxies the API and the sync
 * sockets to a server on :8080.
 */
import { defineConfig } from 'vite';

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

export default defineConfig({
  root: '.',
  publicDir: 'public',
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': asBackend,
      '/sync': { ...asBackend, ws: true },
    },
  },
});
