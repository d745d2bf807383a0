import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent } from '../shared/engine-events';
import type { AppEvent, IpcOutputs, IpcRoute, ParleyApi, Result } from '../shared/ipc';
import { IPC_EVENTS_CHANNEL } from '../shared/ipc-channels';
import { createParleyApi } from '../shared/parley-api';

/**
 * The page's whole view of the main process: `window.parley`, a few named functions, each
 * invoking one fixed route (the channel is the route's name). The page never gets
 * `ipcRenderer`, an Electron event, or a way to pick a channel. Runs sandboxed, so this file
 * is bundled into one CommonJS script that requires nothing but `electron`.
 */

function call<R extends IpcRoute>(route: R, input?: unknown): Promise<Result<IpcOutputs[R]>> {
  return ipcRenderer.invoke(route, input) as Promise<Result<IpcOutputs[R]>>;
}

const api: ParleyApi = createParleyApi(call, (listener) => {
  const forward = (_event: IpcRendererEvent, batch: Array<EngineEvent | AppEvent>) => listener(batch);
  ipcRenderer.on(IPC_EVENTS_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, forward);
  };
});

contextBridge.exposeInMainWorld('parley', api);
