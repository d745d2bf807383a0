import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AssistantState } from '../../src/shared/engine-events';
import type { EngineApi } from '../../src/main/session/engine-api';
import type { Settings } from '../../src/shared/settings';
import { EncryptedApiKeyStore, type StringCipher } from '../../src/main/settings/api-key-store';
import { SettingsFile } from '../../src/main/settings/settings-file';
import { createWindowTools, type WindowTools } from '../../src/main/ipc/window-tools';
import { setUpHistory, type HistorySetup } from '../../src/main/history/history-setup';
import { ensureRendererBuilt, launchChromium, serveRenderer, type RendererServer } from './browser';
import { BRIDGE_PATH, RendererBridge } from './renderer-bridge';
import { bridgeInitScript } from './renderer-bridge-page';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots');

/**
 * Electron's safeStorage exists only inside Electron, so the key store gets this reversible
 * stand-in. Everything else in the harness is the real thing.
 */
const testCipher: StringCipher = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(text, 'utf8').reverse(),
  decryptString: (bytes) => Buffer.from(bytes).reverse().toString('utf8'),
};

export interface BrowserHarnessOptions {
  /** Written as settings.json before loading: an object, or raw text (to test a corrupt file). */
  settingsFile?: unknown;
  apiKey?: string | null;
  /** The browser's locale (`navigator.language`), which the window follows while the language setting is 'system'. */
  locale?: string;
  /** The real ParleyEngine unless given; only a UI preview outside the tests passes another. */
  createEngine?: (options: { settings: Settings; apiKey: string | null; log: (message: string) => void }) => EngineApi;
  /** Builds the app's tool layer (createWindowTools) from the settings file's `tools` group. */
  tools?: boolean;
  /** Keep the conversation history (a real SQLite store in the temp directory), as the app does. */
  history?: boolean;
  /** Stands in for the native save dialog when exporting (see IpcHandlerDeps.chooseExportPath). */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
}

async function createRealEngine(options: { settings: Settings; apiKey: string | null; log: (message: string) => void; tools: WindowTools | null }): Promise<EngineApi> {
  const { ParleyEngine } = await import('../../src/main/session/parley-engine');
  return new ParleyEngine({ ...options, tools: options.tools?.catalog ?? null });
}

/**
 * One window's worth of Parley in real Chromium: a settings file and key store in a temp
 * directory, the real engine on the real devices (PulseAudio and Xvfb from test/support/device-fixtures.ts),
 * the real IPC handlers behind the bridge, and the built renderer loaded in Chromium.
 */
export class BrowserHarness {
  private constructor(
    readonly dir: string,
    readonly settingsFile: SettingsFile,
    readonly engine: EngineApi,
    readonly renderer: RendererServer,
    readonly bridge: RendererBridge,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    /** Console errors and uncaught exceptions in the page, CSP violations included. */
    readonly pageErrors: string[],
    /** The real tool layer, when started with `tools: true`. */
    readonly tools: WindowTools | null,
    /** The history store and recorder, when started with `history: true`. */
    readonly history: HistorySetup | null,
    /** What the history said to the user (a damaged file set aside, a failed write). */
    readonly historyNotices: string[],
  ) {}

  static async start(options: BrowserHarnessOptions = {}): Promise<BrowserHarness> {
    await ensureRendererBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
    const settingsFile = new SettingsFile(join(dir, 'settings.json'));
    if (options.settingsFile !== undefined) {
      const text = typeof options.settingsFile === 'string' ? options.settingsFile : JSON.stringify(options.settingsFile);
      writeFileSync(settingsFile.path, text);
    }
    const { settings } = await settingsFile.load();
    const apiKeyStore = new EncryptedApiKeyStore({ path: join(dir, 'api-key.bin'), cipher: testCipher });
    if (options.apiKey) await apiKeyStore.set(options.apiKey);

    const engineOptions = { settings, apiKey: options.apiKey ?? null, log: () => undefined };
    const tools = options.tools ? createWindowTools(settingsFile, () => undefined) : null;
    const engine = options.createEngine ? options.createEngine(engineOptions) : await createRealEngine({ ...engineOptions, tools });
    const historyNotices: string[] = [];
    // Before the engine starts, as in the app, so the recorder misses none of its events.
    const history = options.history
      ? setUpHistory({ dataDir: dir, keepHistory: settings.keepHistory, engine, onNotice: (sentence) => historyNotices.push(sentence) })
      : null;
    const renderer = await serveRenderer();
    const bridge = new RendererBridge({
      server: renderer.server,
      engine,
      settingsStore: settingsFile,
      apiKeyStore,
      tools,
      history,
      ...(options.chooseExportPath ? { chooseExportPath: options.chooseExportPath } : {}),
    });
    await engine.start();

    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 980, height: 720 }, colorScheme: 'light', locale: options.locale ?? 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: renderer.url });
    await context.addInitScript({ content: bridgeInitScript(BRIDGE_PATH) });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(renderer.url);
    await page.locator('.status').waitFor();
    await page.evaluate(recordStates);
    return new BrowserHarness(dir, settingsFile, engine, renderer, bridge, browser, context, page, pageErrors, tools, history, historyNotices);
  }

  /** Every state the status indicator has shown since the page loaded, in order. */
  states(): Promise<AssistantState[]> {
    return this.page.evaluate(() => (globalThis as unknown as { __parleyStates: AssistantState[] }).__parleyStates);
  }

  async waitForState(state: AssistantState, timeout = 30_000): Promise<void> {
    await this.page.locator(`.status[data-state="${state}"]`).waitFor({ timeout });
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, name) });
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.bridge.dispose();
    await this.renderer.close();
    await this.engine.dispose();
    await this.tools?.dispose();
    this.history?.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs in the page: notes each value of the status indicator's data-state as it changes. */
function recordStates(): void {
  const page = globalThis as unknown as { __parleyStates: string[]; document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } };
  const read = () => page.document.querySelector('.status')?.getAttribute('data-state') ?? null;
  const first = read();
  page.__parleyStates = first ? [first] : [];
  const Observer = (globalThis as unknown as { MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void } }).MutationObserver;
  new Observer(() => {
    const state = read();
    if (state && page.__parleyStates.at(-1) !== state) page.__parleyStates.push(state);
  }).observe(page.document.querySelector('.app'), { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true });
}
