import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { IndicatorUpdate } from '../../src/shared/indicator';
import { PRODUCTION_CSP } from '../../src/main/electron/content-security-policy';
import { ensureRendererBuilt, launchChromium, serveRenderer, type RendererServer } from '../support/browser';
import { SCREENSHOTS } from '../support/browser-harness';

/**
 * The on-screen indicator's page in real Chromium, in each state and both languages. The
 * preload's `window.parleyIndicator` is replaced by a stand-in the test drives: the real one
 * needs Electron's ipcRenderer, which no browser has. Screenshots: indicator-<lang>-<state>.png.
 */
let server: RendererServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  server = await serveRenderer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 240, height: 56 } });
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const listeners: Array<(update: unknown) => void> = [];
    (globalThis as unknown as { parleyIndicator: unknown }).parleyIndicator = {
      onUpdate: (listener: (update: unknown) => void) => (listeners.push(listener), () => undefined),
    };
    (globalThis as unknown as { sendIndicator: (update: unknown) => void }).sendIndicator = (update) => listeners.forEach((listener) => listener(update));
  });
  await page.goto(`${server.url}indicator.html`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const send = (update: IndicatorUpdate) => page.evaluate((u) => (globalThis as unknown as { sendIndicator: (u: unknown) => void }).sendIndicator(u), update);

describe('the on-screen indicator', () => {
  it('carries the production Content-Security-Policy, first in its head', async () => {
    expect(await page.locator('head > :first-child').evaluate((element) => element.outerHTML)).toBe(`<meta http-equiv="Content-Security-Policy" content="${PRODUCTION_CSP}">`);
  });

  for (const language of ['en', 'zh-CN'] as const) {
    it(`shows each working state in ${language}, with the level while listening`, async () => {
      const expected = {
        en: { listening: 'Listening', thinking: 'Thinking…', 'using-tool': 'Using a tool…', speaking: 'Speaking' },
        'zh-CN': { listening: '正在聆听', thinking: '正在思考…', 'using-tool': '正在使用工具…', speaking: '正在说话' },
      }[language];
      for (const state of ['listening', 'thinking', 'using-tool', 'speaking'] as const) {
        await send({ state, level: state === 'listening' ? 0.6 : 0, language });
        await expect(page.locator('#label').textContent()).resolves.toBe(expected[state]);
        await expect(page.locator('#pill').getAttribute('data-state')).resolves.toBe(state);
        const levelVisible = await page.locator('.pill__level').isVisible();
        expect(levelVisible).toBe(state === 'listening');
        const pillBox = await page.locator('#pill').boundingBox();
        expect(pillBox!.width).toBeLessThanOrEqual(240); // no clipped text: the pill fits its window
        await page.screenshot({ path: `${SCREENSHOTS}/indicator-${language}-${state}.png`, omitBackground: true });
      }
      await expect(page.locator('#level').evaluate((element) => (element as unknown as { style: { width: string } }).style.width)).resolves.toBe('0%');
    });
  }

  it('loads under its CSP without a console error', () => {
    // Chromium notes that frame-ancestors means nothing in a meta tag (the header carries it in the app).
    expect(errors.filter((text) => !text.includes("'frame-ancestors' is ignored"))).toEqual([]);
  });
});
