import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENTS_CHANNEL, IpcRoutes, type ParleyApi } from '../../../src/shared/ipc';

/**
 * No Electron binary here, so `electron` is mocked: contextBridge records what the preload
 * exposes and ipcRenderer records invokes and listeners, which the test then drives.
 */
type Listener = (event: unknown, ...args: unknown[]) => void;

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invokes: [] as Array<[string, unknown]>,
  listeners: new Map<string, Set<Listener>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      bridge.invokes.push([channel, input]);
      return Promise.resolve({ ok: true, data: channel });
    },
    on: (channel: string, listener: Listener) => {
      const set = bridge.listeners.get(channel) ?? new Set();
      set.add(listener);
      bridge.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: Listener) => {
      bridge.listeners.get(channel)?.delete(listener);
    },
  },
}));

await import('../../../src/preload/index');
const api = bridge.exposed.get('parley') as ParleyApi;

describe('the preload', () => {
  it('exposes only window.parley, made of plain functions', () => {
    expect([...bridge.exposed.keys()]).toEqual(['parley']);
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect(Object.keys(api)).not.toContain('ipcRenderer');
    expect(Object.keys(api)).not.toContain('invoke');
  });

  it('invokes one fixed route per function, with the input the route expects', async () => {
    const settings = { hotkey: 'F8' };
    await api.getSnapshot();
    await api.saveSettings(settings);
    await api.setApiKey('sk-x');
    await api.clearApiKey();
    await api.listDevices();
    await api.startMicTest('pulse');
    await api.stopMicTest();
    await api.clearConversation();
    await api.retryLastTurn();
    expect(await api.openLink('https://docs.vllm.ai/')).toEqual({ ok: true, data: 'link.open' });
    await api.getToolServers();
    await api.saveToolServers('{"mcpServers":{}}');
    await api.removeToolServer('files');
    await api.setToolEnabled('files', 'read_file', false);
    await api.setToolCallTimeout(45_000);
    await api.answerApproval('call-1', 'deny');
    await api.cancelTurn();
    await api.openLogsFolder();
    await api.getDiagnostics();
    await api.listHistory();
    await api.searchHistory('天气');
    await api.getConversation(7);
    await api.deleteConversation(7);
    await api.deleteAllHistory();
    await api.continueConversation(7);
    await api.exportConversation(7, 'json');
    expect(bridge.invokes).toEqual([
      ['app.snapshot', undefined],
      ['settings.save', settings],
      ['apiKey.set', { key: 'sk-x' }],
      ['apiKey.clear', undefined],
      ['devices.list', undefined],
      ['micTest.start', { deviceName: 'pulse' }],
      ['micTest.stop', undefined],
      ['conversation.clear', undefined],
      ['turn.retry', undefined],
      ['link.open', { url: 'https://docs.vllm.ai/' }],
      ['tools.status', undefined],
      ['tools.saveServers', { json: '{"mcpServers":{}}' }],
      ['tools.removeServer', { name: 'files' }],
      ['tools.setEnabled', { server: 'files', tool: 'read_file', enabled: false }],
      ['tools.setCallTimeout', { ms: 45_000 }],
      ['tools.answerApproval', { callId: 'call-1', answer: 'deny' }],
      ['turn.cancel', undefined],
      ['logs.openFolder', undefined],
      ['diagnostics.get', undefined],
      ['history.list', undefined],
      ['history.search', { query: '天气' }],
      ['history.get', { id: 7 }],
      ['history.delete', { id: 7 }],
      ['history.deleteAll', undefined],
      ['history.continue', { id: 7 }],
      ['history.export', { id: 7, format: 'json' }],
    ]);
    // Every route is reachable, and every input passes its route's own schema.
    expect(new Set(bridge.invokes.map(([route]) => route))).toEqual(new Set(Object.keys(IpcRoutes)));
    for (const [route, input] of bridge.invokes) {
      expect(IpcRoutes[route as keyof typeof IpcRoutes].safeParse(input).success, route).toBe(true);
    }
  });

  it('onEvents hands over only the batch, never the Electron event, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onEvents((batch) => received.push(batch));
    const listeners = bridge.listeners.get(IPC_EVENTS_CHANNEL);
    expect(listeners?.size).toBe(1);
    const electronEvent = { sender: 'ipcRenderer', ports: [] };
    for (const listener of listeners ?? []) listener(electronEvent, [{ type: 'state', state: 'idle' }]);
    expect(received).toEqual([[{ type: 'state', state: 'idle' }]]);
    unsubscribe();
    expect(bridge.listeners.get(IPC_EVENTS_CHANNEL)?.size).toBe(0);
  });
});
