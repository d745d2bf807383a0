import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent } from '../shared/engine-events';
import type { AppEvent, IpcOutputs, IpcRoute, ParleyApi, Result } from '../shared/ipc';
import { IPC_EVENTS_CHANNEL } from '../shared/ipc-channels';

/**
 * The page's whole view of the main process: `window.parley`, a few named functions, each
 * invoking one fixed route (the channel is the route's name). The page never gets
 * `ipcRenderer`, an Electron event, or a way to pick a channel. Runs sandboxed, so this file
 * is bundled into one CommonJS script that requires nothing but `electron`.
 */

function call<R extends IpcRoute>(route: R, input?: unknown): Promise<Result<IpcOutputs[R]>> {
  return ipcRenderer.invoke(route, input) as Promise<Result<IpcOutputs[R]>>;
}

const api: ParleyApi = {
  getSnapshot: () => call('app.snapshot'),
  saveSettings: (settings) => call('settings.save', settings),
  setApiKey: (key) => call('apiKey.set', { key }),
  clearApiKey: () => call('apiKey.clear'),
  listDevices: () => call('devices.list'),
  startMicTest: (deviceName) => call('micTest.start', { deviceName }),
  stopMicTest: () => call('micTest.stop'),
  clearConversation: () => call('conversation.clear'),
  retryLastTurn: () => call('turn.retry'),
  openLink: (url) => call('link.open', { url }),
  cancelTurn: () => call('turn.cancel'),
  openLogsFolder: () => call('logs.openFolder'),
  getDiagnostics: () => call('diagnostics.get'),
  getToolServers: () => call('tools.status'),
  saveToolServers: (json) => call('tools.saveServers', { json }),
  removeToolServer: (name) => call('tools.removeServer', { name }),
  setToolEnabled: (server, tool, enabled) => call('tools.setEnabled', { server, tool, enabled }),
  setToolCallTimeout: (ms) => call('tools.setCallTimeout', { ms }),
  answerApproval: (callId, answer) => call('tools.answerApproval', { callId, answer }),
  listHistory: () => call('history.list'),
  searchHistory: (query) => call('history.search', { query }),
  getConversation: (id) => call('history.get', { id }),
  deleteConversation: (id) => call('history.delete', { id }),
  deleteAllHistory: () => call('history.deleteAll'),
  continueConversation: (id) => call('history.continue', { id }),
  exportConversation: (id, format) => call('history.export', { id, format }),
  onEvents(listener) {
    const forward = (_event: IpcRendererEvent, batch: Array<EngineEvent | AppEvent>) => listener(batch);
    ipcRenderer.on(IPC_EVENTS_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('parley', api);
