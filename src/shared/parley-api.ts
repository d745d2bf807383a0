import type { IpcOutputs, IpcRoute, ParleyApi, Result } from './ipc';

export type RouteCaller = <R extends IpcRoute>(route: R, input?: unknown) => Promise<Result<IpcOutputs[R]>>;

/**
 * `window.parley`, over whatever carries a call to its route: Electron's IPC in the preload, a
 * WebSocket in the browser tests. Each function calls one fixed route; the page can never
 * pick a channel. Self-contained on purpose (it uses nothing but its arguments): the tests
 * send it to the page as source text.
 */
export function createParleyApi(call: RouteCaller, onEvents: ParleyApi['onEvents']): ParleyApi {
  return {
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
    exportConversation: (id, format, language) => call('history.export', { id, format, ...(language ? { language } : {}) }),
    onEvents,
  };
}
