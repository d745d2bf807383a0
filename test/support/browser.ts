import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * The real Chromium side of the renderer tests: the built renderer served over loopback
 * HTTP, and Debian's chromium driven by playwright-core (a downloaded browser cannot be
 * fetched here).
 */

const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = join(ROOT, 'out/renderer');
const RENDERER_SOURCES = [join(ROOT, 'src/renderer'), join(ROOT, 'src/shared')];

/** Builds the renderer unless `npm run build` already left a fresh one in out/renderer. */
export async function ensureRendererBuilt(): Promise<void> {
  const built = join(RENDERER_OUT, 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(RENDERER_SOURCES)) return;
  const [{ build }, { default: react }, { contentSecurityPolicyMeta }] = await Promise.all([import('vite'), import('@vitejs/plugin-react'), import('../../electron.vite.config')]);
  // The same shape electron-vite gives the renderer: root src/renderer, relative asset paths.
  await build({
    configFile: false,
    root: join(ROOT, 'src/renderer'),
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    logLevel: 'warn',
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      // Both pages, as electron.vite.config.ts builds them: the window and the on-screen indicator.
      rolldownOptions: { input: { index: join(ROOT, 'src/renderer/index.html'), indicator: join(ROOT, 'src/renderer/indicator.html') } },
    },
  });
}

function newestMtime(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface RendererServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Serves out/renderer on 127.0.0.1. The bridge's WebSocket attaches to the same server,
 * so the page's own CSP (`connect-src 'self'`) allows it without loosening anything.
 */
export async function serveRenderer(dir: string = RENDERER_OUT): Promise<RendererServer> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    // Chromium asks for one; Electron never does. Answer so the page's console stays clean.
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
