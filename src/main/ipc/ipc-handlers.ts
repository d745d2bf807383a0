import type { AppEvent, IpcFailure, IpcRoute } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { EngineApi } from '../session/engine-api';
import type { ApiKeyStore } from '../settings/api-key-store';
import type { SettingsStore } from '../settings/settings-file';
import { UserFacingError } from '../user-facing-error';
import { isAllowedExternalUrl } from './external-link-policy';
import { maskToolSecrets } from '../../shared/tool-settings';
import { createToolHandlers, type IpcToolDeps } from './tool-handlers';
import type { HistorySetup } from '../history/history-setup';
import { createHistoryHandlers } from './history-handlers';
import { asIpcFailure, route, type IpcHandler } from './ipc-route';

/** Everything the handlers touch, passed in so the renderer test bridge can reuse them without Electron. */
export interface IpcHandlerDeps {
  engine: EngineApi;
  settingsStore: SettingsStore;
  apiKeyStore: ApiKeyStore;
  /** Opens a URL in the user's browser (Electron: `shell.openExternal`). Only called for allowed URLs. */
  openExternal(url: string): Promise<void>;
  /** Opens the folder with Parley's log files (Electron: `shell.openPath`). */
  openLogsFolder?(): Promise<void>;
  /** The diagnostics text, secrets removed. */
  diagnostics?(): Promise<string>;
  /** Sends an app event to the window, in order with the engine's events. */
  pushEvent(event: AppEvent): void;
  /** MCP servers, built-in tools and approval cards; absent when the app runs without tools. */
  tools?: IpcToolDeps | null;
  /** The conversation history; null when it could not be opened, absent where there is none. */
  history?: HistorySetup | null;
  /** Asks the user where to save an export (Electron: dialog.showSaveDialog); null when cancelled. */
  chooseExportPath?(suggestedName: string): Promise<string | null>;
}

export type IpcHandlers = { [R in IpcRoute]: IpcHandler<R> };

export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { engine, settingsStore, apiKeyStore } = deps;

  async function applyLive(settings: Settings): Promise<boolean> {
    const { key: apiKey, problem } = await apiKeyStore.lookup();
    await engine.applySettings(settings, apiKey, problem);
    const hasApiKey = apiKey !== null;
    deps.pushEvent({ type: 'settings', settings: maskToolSecrets(settings), hasApiKey, ...keyProblemOf(problem) });
    return hasApiKey;
  }

  return {
    'app.snapshot': route('app.snapshot', async () => {
      // A usable key, as applyLive counts it: a saved key that cannot be unlocked asks to be pasted again, and says why.
      const { key, problem } = await apiKeyStore.lookup();
      return {
        settings: maskToolSecrets(settingsStore.current),
        hasApiKey: key !== null,
        ...keyProblemOf(problem),
        lines: [...engine.lines],
        state: engine.state,
        notice: settingsStore.notice,
        approvals: deps.tools?.approvals.waiting() ?? [],
      };
    }),

    'settings.save': route('settings.save', async (incoming) => {
      // The tools group is changed only through the tools.* routes (which apply at once), and the
      // window holds it masked: keep the stored one, secrets and all.
      const settings = { ...incoming, tools: settingsStore.current.tools };
      await settingsStore.save(settings);
      deps.history?.recorder.setKeepHistory(settings.keepHistory);
      await applyLive(settings);
      return maskToolSecrets(settings);
    }),

    'apiKey.set': route('apiKey.set', async ({ key }) => {
      await apiKeyStore.set(key);
      // The key goes from the store to the engine; the answer only says that one is set.
      return { hasApiKey: await applyLive(settingsStore.current) };
    }),

    'apiKey.clear': route('apiKey.clear', async () => {
      await apiKeyStore.clear();
      return { hasApiKey: await applyLive(settingsStore.current) };
    }),

    'devices.list': route('devices.list', async () => engine.listDevices()),

    'micTest.start': route('micTest.start', async ({ deviceName }) => {
      await engine.startMicTest(deviceName);
      return null;
    }),

    'micTest.stop': route('micTest.stop', async () => {
      await engine.stopMicTest();
      return null;
    }),

    'conversation.clear': route('conversation.clear', async () => {
      engine.clearConversation();
      deps.history?.recorder.startNewConversation();
      deps.pushEvent({ type: 'conversation-cleared' });
      return null;
    }),

    'turn.retry': route('turn.retry', async () => {
      engine.retryLastTurn();
      return null;
    }),

    'turn.cancel': route('turn.cancel', async () => {
      engine.cancelTurn();
      return null;
    }),

    'logs.openFolder': route('logs.openFolder', async () => {
      if (!deps.openLogsFolder) throw new UserFacingError('refused', 'This Parley keeps no log files.', { text: { key: 'errors.noLogFiles' } });
      await deps.openLogsFolder();
      return null;
    }),

    'diagnostics.get': route('diagnostics.get', async () => {
      if (!deps.diagnostics) throw new UserFacingError('refused', 'This Parley keeps no diagnostics.', { text: { key: 'errors.noDiagnostics' } });
      return deps.diagnostics();
    }),

    'link.open': route('link.open', async ({ url }) => {
      if (!isAllowedExternalUrl(url)) {
        throw new UserFacingError('refused', 'Parley only opens links to its own help pages, and this one is not among them.', {
          text: { key: 'errors.linkRefused' },
        });
      }
      await deps.openExternal(url);
      return null;
    }),

    ...createToolHandlers(deps),
    ...createHistoryHandlers(deps),
  };
}

/** The desktop's `openLogsFolder` failed: `problem` is the OS's own words (Electron's shell.openPath). */
export function logsFolderUnopened(path: string, problem: string): UserFacingError {
  return new UserFacingError('refused', `Parley could not open its logs folder ${path}: ${problem}`, { text: { key: 'errors.logsFolder', params: { path, problem } } });
}

/** The window's field for a saved key that cannot be used; absent when there is no such problem. */
function keyProblemOf(problem: UserFacingError | null): { keyProblem?: IpcFailure } {
  return problem ? { keyProblem: asIpcFailure(problem) } : {};
}

