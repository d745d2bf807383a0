import type { z } from 'zod';
import { IpcRoutes, type AppEvent, type IpcFailure, type IpcOutputs, type IpcRoute, type Result } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { EngineApi } from '../session/engine-api';
import type { ApiKeyStore } from '../settings/api-key-store';
import type { SettingsStore } from '../settings/settings-file';
import { toUserFacingError, UserFacingError } from '../user-facing-error';
import { isAllowedExternalUrl } from './external-link-policy';
import { maskToolSecrets } from '../../shared/tool-settings';
import { createToolHandlers, type IpcToolDeps } from './tool-handlers';
import type { HistorySetup } from '../history/history-setup';
import { createHistoryHandlers } from './history-handlers';

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

/** One function per route: takes the raw, untrusted input and answers with a Result. Never throws. */
export type IpcHandler<R extends IpcRoute> = (input: unknown) => Promise<Result<IpcOutputs[R]>>;
export type IpcHandlers = { [R in IpcRoute]: IpcHandler<R> };

type ParsedInput<R extends IpcRoute> = z.output<(typeof IpcRoutes)[R]>;

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

    ...createToolHandlers(deps, route),
    ...createHistoryHandlers(deps),
  };
}

/** The desktop's `openLogsFolder` failed: `problem` is the OS's own words (Electron's shell.openPath). */
export function logsFolderUnopened(path: string, problem: string): UserFacingError {
  return new UserFacingError('refused', `Parley could not open its logs folder ${path}: ${problem}`, { text: { key: 'errors.logsFolder', params: { path, problem } } });
}

export type RouteFactory = typeof route;

/** Validates the input with the route's schema, runs the body, and turns any failure into a sentence. */
export function route<R extends IpcRoute>(name: R, body: (input: ParsedInput<R>) => Promise<IpcOutputs[R]>): IpcHandler<R> {
  const schema: z.ZodType<ParsedInput<R>> = IpcRoutes[name] as unknown as z.ZodType<ParsedInput<R>>;
  return async (input) => {
    const parsed = schema.safeParse(input);
    // Input from the Settings dialog can be fixed there; any other bad input is a refused call.
    const code = /^(settings|apiKey|tools)\./.test(name) ? 'bad-settings' : 'refused';
    if (!parsed.success) return failure(new UserFacingError(code, describeInvalidInput(parsed.error)));
    try {
      return { ok: true, data: await body(parsed.data) };
    } catch (error) {
      return failure(toUserFacingError(error));
    }
  };
}

function failure(error: UserFacingError): { ok: false; error: IpcFailure } {
  return { ok: false, error: asIpcFailure(error) };
}

function asIpcFailure(error: UserFacingError): IpcFailure {
  const { type: _type, ...detail } = error.toEvent();
  return detail;
}

/** The window's field for a saved key that cannot be used; absent when there is no such problem. */
function keyProblemOf(problem: UserFacingError | null): { keyProblem?: IpcFailure } {
  return problem ? { keyProblem: asIpcFailure(problem) } : {};
}

/**
 * Turns zod's issues into words for the window, naming the field and the fix, for example
 * "Check capture.preRollMs: Too big: expected number to be <=2000."
 */
function describeInvalidInput(error: z.ZodError): string {
  const sentences = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    return asSentence(field ? `Check ${field}: ${issue.message}` : `Parley could not use that request: ${issue.message}`);
  });
  if (error.issues.length > 3) sentences.push(`${error.issues.length - 3} more settings need fixing too.`);
  return sentences.join(' ');
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
