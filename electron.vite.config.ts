import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { DEV_CSP, PRODUCTION_CSP } from './src/main/electron/content-security-policy';

/**
 * Puts the CSP meta tag first in each page's head (index.html, indicator.html), so the policy is
 * written once, in content-security-policy.ts. In dev, Vite's hot reload needs an inline script,
 * injected <style> tags and a WebSocket, which the production policy forbids: dev gets DEV_CSP.
 */
export function contentSecurityPolicyMeta(): Plugin {
  let isDev = false;
  return {
    name: 'parley:csp-meta',
    configResolved(resolved) {
      isDev = resolved.command === 'serve';
    },
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: isDev ? DEV_CSP : PRODUCTION_CSP }, injectTo: 'head-prepend' }];
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
    plugins: [react(), contentSecurityPolicyMeta()],
  },
};

export default defineConfig(config);
