import { app, dialog, ipcMain, powerMonitor, safeStorage, shell, type BrowserWindow } from 'electron';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { createI18n } from '../../shared/i18n/create-i18n';
import { resolveLanguage } from '../../shared/i18n/languages';
import { IPC_EVENTS_CHANNEL, type DeviceList } from '../../shared/ipc';
import { EngineEventBatcher } from '../ipc/engine-event-batcher';
import { isAllowedExternalUrl } from '../ipc/external-link-policy';
import { createIpcHandlers, logsFolderUnopened } from '../ipc/ipc-handlers';
import type { EngineApi } from '../session/engine-api';
import { EncryptedApiKeyStore } from '../settings/api-key-store';
import { SettingsFile } from '../settings/settings-file';
import type { Settings } from '../../shared/settings';
import type { MessageText, UserFacingError } from '../user-facing-error';
import { registerIpcRoutes } from './ipc-routes';
import { createMainWindow } from './main-window';
import { rendererLocation } from './renderer-location';
import { safeStorageCipher } from './safe-storage-cipher';
import { createSenderCheck } from './sender-check';
import { StatusTray } from './status-tray';
import { IndicatorWindow } from './indicator-window';
import { INDICATOR_STATES, type IndicatorUpdate } from '../../shared/indicator';
import { applyLoginItem, startsHidden } from './login-item';
import { setUpHistory, type HistorySetup } from '../history/history-setup';
import { formatDiagnostics } from '../logging/diagnostics';
import { ParleyLog } from '../logging/parley-log';
import { SecretRedactor } from '../secret-redactor';
import type { EngineTools } from '../session/parley-engine';
import { secretValuesOf } from '../tools/mcp-server-config';
import { createWindowTools, type WindowTools } from '../ipc/window-tools';
import { mcpServerConfigs } from '../../shared/tool-settings';

export interface ParleyAppOptions {
  /** Builds the engine; index.ts passes `new ParleyEngine(...)`. */
  createEngine(options: { settings: Settings; apiKey: string | null; keyProblem: UserFacingError | null; log: (message: string) => void; tools: EngineTools | null }): EngineApi;
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
  #log: ParleyLog | null = null;
  #tools: WindowTools | null = null;
  #history: HistorySetup | null = null;
  #indicator: IndicatorWindow | null = null;

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
    // Every line goes to a rotating file a user can attach to a report, secrets removed first.
    const redactor = new SecretRedactor({ credentialShapes: true });
    redactor.setSecrets('api-key', [apiKey]);
    const appLog = new ParleyLog({ path: join(userData, 'logs', 'parley.log'), redactor, echo: (line) => console.log(`[parley] ${line}`) });
    this.#log = appLog;
    // The tools from the saved settings; a tool that is not read-only asks through a card in the window.
    const tools = createWindowTools(settingsFile, appLog.line);
    redactor.setSecrets('mcp', secretValuesOf(mcpServerConfigs(settingsFile.current.tools)));
    this.#tools = tools;
    const engine = this.options.createEngine({ settings, apiKey, keyProblem, log: appLog.line, tools: tools.catalog });
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
      // Started hidden (at login, or by the setting): only the tray shows, and the hotkey is live.
      show: !startsHidden(settings.desktop),
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
    const indicator = new IndicatorWindow({
      preloadPath: join(this.options.mainDir, '../preload/indicator.cjs'),
      location: rendererLocation({
        devServerUrl: location.kind === 'dev-server' ? new URL('indicator.html', location.url).href : undefined,
        indexHtmlPath: join(this.options.mainDir, '../renderer/indicator.html'),
      }),
    });
    this.#indicator = indicator;
    let shown: IndicatorUpdate = { state: engine.state, level: 0, language: 'en' };
    // The pill appears while something happens and the window is out of sight or out of focus.
    const updateIndicator = (): void => {
      const { desktop, language } = settingsFile.current;
      const windowInView = !window.isDestroyed() && window.isVisible() && window.isFocused();
      if (!desktop.indicator || windowInView || !INDICATOR_STATES.has(shown.state)) indicator.hide();
      else indicator.show({ ...shown, language: resolveLanguage(language, app.getLocale()) }, desktop.indicatorCorner);
    };
    window.on('blur', updateIndicator);
    window.on('focus', updateIndicator);
    window.on('hide', updateIndicator);
    this.#cleanups.push(
      engine.onEvent((event) => {
        batcher.push(event);
        if (event.type === 'state') tray.setState(event.state);
        if (event.type === 'state') shown = { ...shown, state: event.state, level: event.state === 'listening' ? shown.level : 0 };
        if (event.type === 'level') shown = { ...shown, level: event.level };
        if (event.type === 'state' || (event.type === 'level' && shown.state === 'listening')) updateIndicator();
      }),
    );

    // The history keeps every conversation; created before the engine starts, so it misses nothing.
    // A notice's key, when it has one, lets the window say it in its language.
    const onNotice = (message: string, text?: MessageText): void => batcher.push({ type: 'notice', message, messageKey: text?.key, params: text?.params });
    this.#history = setUpHistory({ dataDir: userData, keepHistory: settings.keepHistory, engine, onNotice });
    void applyLoginItem(settings.desktop).catch((error: unknown) => appLog.line(`start at login: ${String(error)}`));

    const handlers = createIpcHandlers({
      engine,
      settingsStore: settingsFile,
      apiKeyStore,
      openExternal,
      tools,
      history: this.#history,
      chooseExportPath: async (name) => {
        const answer = await dialog.showSaveDialog(window, { defaultPath: join(app.getPath('documents'), name) });
        return answer.canceled ? null : (answer.filePath ?? null);
      },
      openLogsFolder: async () => {
        const path = dirname(appLog.path);
        const problem = await shell.openPath(path);
        if (problem) throw logsFolderUnopened(path, problem);
      },
      diagnostics: async () =>
        formatDiagnostics(
          {
            appVersion: app.getVersion(),
            electronVersion: process.versions.electron,
            nodeVersion: process.version,
            os: `${process.platform} ${release()} ${process.arch}`,
            devices: await listDevicesOrWhy(engine),
            settings: settingsFile.current,
            logLines: await appLog.lastLines(200),
          },
          redactor,
        ),
      pushEvent: (event) => {
        batcher.push(event);
        if (event.type !== 'settings') return;
        redactor.setSecrets('mcp', secretValuesOf(mcpServerConfigs(settingsFile.current.tools)));
        // Settings changed (saved, or a key set): the tray follows a new language at once,
        // and start at login follows its switch.
        tray.setLanguage(resolveLanguage(event.settings.language, app.getLocale()));
        void applyLoginItem(event.settings.desktop).catch((error: unknown) => appLog.line(`start at login: ${String(error)}`));
      },
    });
    // A card in a hidden window would never be seen, and the call would wait until cancelled.
    this.#cleanups.push(tools.approvals.onRequest(() => this.showWindow()));
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
    this.#indicator?.dispose();
    this.#indicator = null;
    const engine = this.#engine;
    this.#engine = null;
    await engine?.dispose();
    this.#history?.dispose();
    this.#history = null;
    await this.#tools?.dispose();
    this.#tools = null;
    this.#log?.dispose();
  }

  /** Set before the windows close on quit, so closing is not turned into hiding. */
  markQuitting(): void {
    this.#quitting = true;
  }
}

async function listDevicesOrWhy(engine: EngineApi): Promise<DeviceList | { error: string }> {
  try {
    return await engine.listDevices();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
