import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { INDICATOR_CHANNEL, type IndicatorApi, type IndicatorUpdate } from '../shared/indicator';

/**
 * The indicator's whole view of the main process: it receives updates, and has no way to send
 * anything or call any route. Sandboxed and bundled like the main preload.
 */
const api: IndicatorApi = {
  onUpdate(listener) {
    const handler = (_event: IpcRendererEvent, update: IndicatorUpdate) => listener(update);
    ipcRenderer.on(INDICATOR_CHANNEL, handler);
    return () => ipcRenderer.removeListener(INDICATOR_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('parleyIndicator', api);
