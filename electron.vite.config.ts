import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { DEV_CSP, PRODUCTION_CSP } from './src/main/electron/content-security-policy';

/**
 * In dev, Vite's hot reload needs an inline script, injected <style> tags and a WebSocket,
 * which the production CSP in index.html forbids: swap in the dev policy, and only in dev.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'parley:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      if (!html.includes(PRODUCTION_CSP)) {
        throw new Error('src/renderer/index.html must carry PRODUCTION_CSP from src/main/electron/content-security-policy.ts in its CSP meta tag.');
      }
      return html.replace(PRODUCTION_CSP, DEV_CSP);
    },
  };
}

const config: UserConfig = {
  main: {
    build: {
      // Dependencies stay in node_modules (electron-vite's default): native addons cannot be bundled.
      rolldownOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require anything but `electron` and a few built-ins, so each
      // is one self-contained CommonJS file (package.json says "type": "module", hence .cjs).
      // The two preloads share no module, so no shared chunk is emitted (a test checks).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts'), indicator: resolve('src/preload/indicator.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'shared-[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html'), indicator: resolve('src/renderer/indicator.html') } },
    },
    plugins: [react(), devContentSecurityPolicy()],
  },
};

export default defineConfig(config);
