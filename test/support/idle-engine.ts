import type { DeviceList } from '../../src/shared/ipc';
import type { EngineApi } from '../../src/main/session/engine-api';

/**
 * An engine that does nothing, for tests of routes that never reach it (tools, keyed errors):
 * the IPC handlers need one to exist. Tests that check what reaches the engine use their own.
 */
export const idleEngine: EngineApi = {
  state: 'idle',
  lines: [],
  start: async () => undefined,
  applySettings: async () => undefined,
  onEvent: () => () => undefined,
  clearConversation: () => undefined,
  continueConversation: () => undefined,
  retryLastTurn: () => undefined,
  cancelTurn: () => undefined,
  listDevices: async (): Promise<DeviceList> => ({ inputs: [], outputs: [] }),
  startMicTest: async () => undefined,
  stopMicTest: async () => undefined,
  releaseHotkey: () => undefined,
  dispose: async () => undefined,
};
