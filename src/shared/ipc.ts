import { z } from 'zod';
import type { AssistantState, EngineEvent, ErrorEvent } from './engine-events';
import type { ConversationLine } from './conversation';
import { LANGUAGES, type Language } from './i18n/languages';
import { SettingsSchema, type Settings } from './settings';
import { MAX_CALL_TIMEOUT_MS, MIN_CALL_TIMEOUT_MS } from './tool-settings';
import type { ApprovalChoice, ApprovalView, ToolServerView } from './tool-view';
import { HISTORY_EXPORT_FORMATS, type HistoryConversation, type HistoryExportResult, type HistoryListing, type HistorySearchMatch } from './history';

/**
 * The one contract between the window and the main process.
 *
 * Renderer → main: every call is an `invoke` on a route named `domain.action`. Its input is
 * checked against the zod schema below before any handler sees it, and it answers with a
 * Result instead of throwing, so the page always gets words it can show.
 *
 * Main → renderer: engine events travel on one channel, batched (transcript updates are
 * coalesced to at most ~30 a second). They are the same objects the headless mode prints.
 */

/** Why a call failed: the same sentence, code and action an engine error event carries. */
export type IpcFailure = Omit<ErrorEvent, 'type'>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: IpcFailure };

export interface AudioDevice {
  name: string;
  isDefault: boolean;
}

export interface DeviceList {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
}

/** What the window needs to draw itself when it (re)loads. */
export interface AppSnapshot {
  settings: Settings;
  /** The key itself never leaves the main process. */
  hasApiKey: boolean;
  /** Set when a key is saved but cannot be used (it could not be unlocked): the window says why, not only "no key". */
  keyProblem?: IpcFailure;
  lines: ConversationLine[];
  state: AssistantState;
  /** A problem found while loading settings, for example a corrupt file that was set aside. */
  notice: string | null;
  /** Tool calls waiting for the user's answer (approval cards). */
  approvals?: ApprovalView[];
}

const NoInput = z.undefined();
const HistoryId = z.object({ id: z.number().int().positive() });

export const IpcRoutes = {
  'app.snapshot': NoInput,
  'settings.save': SettingsSchema,
  'apiKey.set': z.object({ key: z.string().trim().min(1, 'Paste your API key').max(4096) }),
  'apiKey.clear': NoInput,
  'devices.list': NoInput,
  'micTest.start': z.object({ deviceName: z.string().min(1).nullable() }),
  'micTest.stop': NoInput,
  'conversation.clear': NoInput,
  'turn.retry': NoInput,
  'link.open': z.object({ url: z.string().url() }),
  'turn.cancel': NoInput,
  'logs.openFolder': NoInput,
  'diagnostics.get': NoInput,
  // Tools (MCP servers and built-ins): each change is saved and applied at once.
  'tools.status': NoInput,
  'tools.saveServers': z.object({ json: z.string().max(200_000) }),
  'tools.removeServer': z.object({ name: z.string().min(1) }),
  'tools.setEnabled': z.object({ server: z.string().min(1), tool: z.string().min(1).optional(), enabled: z.boolean() }),
  'tools.setCallTimeout': z.object({ ms: z.number().int().min(MIN_CALL_TIMEOUT_MS).max(MAX_CALL_TIMEOUT_MS) }),
  'tools.answerApproval': z.object({ callId: z.string().min(1), answer: z.enum(['allow-once', 'always-allow', 'deny']) }),
  // Conversation history (issue 10): see src/main/ipc/history-handlers.ts.
  'history.list': NoInput,
  'history.search': z.object({ query: z.string().max(500, 'Search for at most 500 characters') }),
  'history.get': HistoryId,
  'history.delete': HistoryId,
  'history.deleteAll': NoInput,
  'history.continue': HistoryId,
  // `language`: the window's, for the words a Markdown export adds (speakers, cut-off marks).
  'history.export': HistoryId.extend({ format: z.enum(HISTORY_EXPORT_FORMATS), language: z.enum(LANGUAGES).optional() }),
} as const;

export type IpcRoute = keyof typeof IpcRoutes;
export type IpcInput<R extends IpcRoute> = z.input<(typeof IpcRoutes)[R]>;

export interface IpcOutputs {
  'app.snapshot': AppSnapshot;
  'settings.save': Settings;
  'apiKey.set': { hasApiKey: boolean };
  'apiKey.clear': { hasApiKey: boolean };
  'devices.list': DeviceList;
  'micTest.start': null;
  'micTest.stop': null;
  'conversation.clear': null;
  'turn.retry': null;
  'link.open': null;
  'turn.cancel': null;
  'logs.openFolder': null;
  /** The text behind "Copy diagnostics": versions, devices, settings and recent log lines, secrets removed. */
  'diagnostics.get': string;
  'tools.status': ToolServerView[];
  'tools.saveServers': ToolServerView[];
  'tools.removeServer': ToolServerView[];
  'tools.setEnabled': ToolServerView[];
  'tools.setCallTimeout': { callTimeoutMs: number };
  'tools.answerApproval': null;
  'history.list': HistoryListing;
  'history.search': HistorySearchMatch[];
  'history.get': HistoryConversation;
  'history.delete': null;
  'history.deleteAll': null;
  'history.continue': HistoryConversation;
  'history.export': HistoryExportResult;
}

/** Each route is its own `ipcMain.handle` channel; events share one channel. */
export { IPC_EVENTS_CHANNEL } from './ipc-channels';

/** Main → renderer messages. Engine events come in batches; app events stand alone. */
export type AppEvent =
  | { type: 'settings'; settings: Settings; hasApiKey: boolean; keyProblem?: IpcFailure }
  | { type: 'conversation-cleared' }
  /**
   * Something the user should know that is not an error of a turn (the history was damaged and
   * set aside); with its key and values when the window can say it in its own language.
   */
  | { type: 'notice'; message: string; messageKey?: string; params?: Record<string, string | number> }
  | { type: 'tool-servers'; servers: ToolServerView[] }
  | ({ type: 'approval' } & ApprovalView)
  | { type: 'approval-withdrawn'; callId: string }
  /** A past conversation was reopened: the window shows its lines, and new turns follow them. */
  | { type: 'conversation-continued'; conversation: HistoryConversation };

/**
 * What the preload exposes as `window.parley`: a few named functions, each bound to one
 * route. The page never sees `ipcRenderer` itself.
 */
export interface ParleyApi {
  getSnapshot(): Promise<Result<AppSnapshot>>;
  saveSettings(settings: IpcInput<'settings.save'>): Promise<Result<Settings>>;
  setApiKey(key: string): Promise<Result<{ hasApiKey: boolean }>>;
  clearApiKey(): Promise<Result<{ hasApiKey: boolean }>>;
  listDevices(): Promise<Result<DeviceList>>;
  startMicTest(deviceName: string | null): Promise<Result<null>>;
  stopMicTest(): Promise<Result<null>>;
  clearConversation(): Promise<Result<null>>;
  retryLastTurn(): Promise<Result<null>>;
  openLink(url: string): Promise<Result<null>>;
  cancelTurn(): Promise<Result<null>>;
  openLogsFolder(): Promise<Result<null>>;
  getDiagnostics(): Promise<Result<string>>;
  getToolServers(): Promise<Result<ToolServerView[]>>;
  /** Adds or replaces the servers in pasted `{"mcpServers": {…}}` JSON. */
  saveToolServers(json: string): Promise<Result<ToolServerView[]>>;
  removeToolServer(name: string): Promise<Result<ToolServerView[]>>;
  /** Switches a server (no `tool`) or one of its tools on or off. */
  setToolEnabled(server: string, tool: string | undefined, enabled: boolean): Promise<Result<ToolServerView[]>>;
  /** How long one tool call may run, in milliseconds. */
  setToolCallTimeout(ms: number): Promise<Result<{ callTimeoutMs: number }>>;
  answerApproval(callId: string, answer: ApprovalChoice): Promise<Result<null>>;
  listHistory(): Promise<Result<HistoryListing>>;
  searchHistory(query: string): Promise<Result<HistorySearchMatch[]>>;
  getConversation(id: number): Promise<Result<HistoryConversation>>;
  deleteConversation(id: number): Promise<Result<null>>;
  deleteAllHistory(): Promise<Result<null>>;
  continueConversation(id: number): Promise<Result<HistoryConversation>>;
  exportConversation(id: number, format: IpcInput<'history.export'>['format'], language?: Language): Promise<Result<HistoryExportResult>>;
  /** Engine events arrive in batches; returns the unsubscribe function. */
  onEvents(listener: (events: Array<EngineEvent | AppEvent>) => void): () => void;
}
