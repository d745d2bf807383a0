import { app, ipcMain, powerMonitor, safeStorage, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createI18n } from '../../shared/i18n/create-i18n';
import { resolveLanguage } from '../../shared/i18n/languages';
import { IPC_EVENTS_CHANNEL } from '../../shared/ipc';
import { EngineEventBatcher } from '../ipc/engine-event-batcher';
import { isAllowedExternalUrl } from '../ipc/external-link-policy';
import { createIpcHandlers } from '../ipc/ipc-handlers';
import type { EngineApi } from '../session/engine-api';
import { EncryptedApiKeyStore } from '../settings/api-key-store';
import { SettingsFile } from '../settings/settings-file';
import type { Settings } from '../../shared/settings';
import type { UserFacingError } from '../user-facing-error';
import { registerIpcRoutes } from './ipc-routes';
import { createMainWindow } from './main-window';
import { rendererLocation } from './renderer-location';
import { safeStorageCipher } from './safe-storage-cipher';
import { createSenderCheck } from './sender-check';
import { StatusTray } from './status-tray';

export interface ParleyAppOptions {
  /** Builds the engine; index.ts passes `new ParleyEngine(...)`. */
  createEngine(options: { settings: Settings; apiKey: string | null; keyProblem: UserFacingError | null; log: (message: string) => void }): EngineApi;
  /** Directory of the built main bundle (out/main). */
  mainDir: string;
}

/**
 * The desktop app: the engine, its window, the tray and the IPC between them. Closing the
 * window only hides it (the hotkey keeps working); Quit in the tray ends everything.
 */
export class ParleyApp {
  #window: BrowserWindow | null = null;
  #engine: EngineApi | null = null;
  #tray: StatusTray | null = null;
  #batcher: EngineEventBatcher | null = null;
  #cleanups: Array<() => void> = [];
  #quitting = false;

  constructor(private readonly options: ParleyAppOptions) {}

  async start(): Promise<void> {
    const userData = app.getPath('userData');
    const settingsFile = new SettingsFile(join(userData, 'settings.json'));
    const { settings } = await settingsFile.load();
    const apiKeyStore = new EncryptedApiKeyStore({
      path: join(userData, 'api-key.bin'),
      cipher: safeStorageCipher(safeStorage),
      environmentKey: process.env.OPENAI_API_KEY ?? null,
    });
    const { key: apiKey, problem: keyProblem } = await apiKeyStore.lookup();
    const engine = this.options.createEngine({ settings, apiKey, keyProblem, log: (message) => console.log(`[parley] ${message}`) });
    this.#engine = engine;

    const location = rendererLocation({
      devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
      indexHtmlPath: join(this.options.mainDir, '../renderer/index.html'),
    });
    const openExternal = async (url: string): Promise<void> => {
      if (isAllowedExternalUrl(url)) await shell.openExternal(url);
    };
    const window = createMainWindow({
      preloadPath: join(this.options.mainDir, '../preload/index.cjs'),
      location,
      openExternal: (url) => void openExternal(url).catch(() => undefined),
    });
    this.#window = window;
    window.on('close', (event) => {
      if (this.#quitting) return;
      event.preventDefault();
      window.hide();
    });

    const batcher = new EngineEventBatcher({
      flush: (batch) => {
        if (!window.isDestroyed()) window.webContents.send(IPC_EVENTS_CHANNEL, batch);
      },
    });
    this.#batcher = batcher;
    // The tray speaks the window's language: the setting, else the OS locale.
    const trayI18n = createI18n(resolveLanguage(settings.language, app.getLocale()));
    const tray = new StatusTray(
      { onShow: () => this.showWindow(), onHide: () => window.hide(), onQuit: () => app.quit(), i18n: trayI18n },
      engine.state,
    );
    this.#tray = tray;
    this.#cleanups.push(
      engine.onEvent((event) => {
        batcher.push(event);
        if (event.type === 'state') tray.setState(event.state);
      }),
    );

    const handlers = createIpcHandlers({
      engine,
      settingsStore: settingsFile,
      apiKeyStore,
      openExternal,
      pushEvent: (event) => {
        batcher.push(event);
        // Settings changed (saved, or a key set): the tray follows a new language at once.
        if (event.type === 'settings') tray.setLanguage(resolveLanguage(event.settings.language, app.getLocale()));
      },
    });
    this.#cleanups.push(registerIpcRoutes(ipcMain, handlers, createSenderCheck(() => (window.isDestroyed() ? null : window.webContents), location)));

    // A key held while the screen locks or the machine sleeps never sends its key-up.
    const onLock = () => engine.releaseHotkey('session-locked');
    const onSuspend = () => engine.releaseHotkey('suspended');
    powerMonitor.on('lock-screen', onLock);
    powerMonitor.on('suspend', onSuspend);
    this.#cleanups.push(() => {
      powerMonitor.off('lock-screen', onLock);
      powerMonitor.off('suspend', onSuspend);
    });

    await engine.start();
  }

  showWindow(): void {
    const window = this.#window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Called once on quit: lets the window really close and releases devices and the connection. */
  async dispose(): Promise<void> {
    this.#quitting = true;
    this.#batcher?.flushNow();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#batcher?.dispose();
    this.#tray?.dispose();
    this.#tray = null;
    const engine = this.#engine;
    this.#engine = null;
    await engine?.dispose();
  }

  /** Set before the windows close on quit, so closing is not turned into hiding. */
  markQuitting(): void {
    this.#quitting = true;
  }
}
