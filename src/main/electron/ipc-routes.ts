import type { IpcMain } from 'electron';
import { IpcRoutes, type IpcRoute, type Result } from '../../shared/ipc';
import type { IpcHandlers } from '../ipc/ipc-handlers';
import type { SenderCheck } from './sender-check';

const REFUSED: Result<never> = { ok: false, error: { code: 'refused', message: 'Parley ignored a request that did not come from its own window.' } };

/**
 * One `ipcMain.handle` per route (the channel is the route's name), each behind the sender
 * check. Returns a function that removes them all.
 */
export function registerIpcRoutes(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: IpcHandlers, isTrusted: SenderCheck): () => void {
  const routes = Object.keys(IpcRoutes) as IpcRoute[];
  for (const route of routes) {
    const handler = handlers[route];
    ipcMain.handle(route, (event, input: unknown) => (isTrusted(event) ? handler(input) : REFUSED));
  }
  return () => {
    for (const route of routes) ipcMain.removeHandler(route);
  };
}
