import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppEvent, IpcRoute, Result } from '../../src/shared/ipc';
import { IpcRoutes } from '../../src/shared/ipc';
import { EngineEventBatcher, type WindowEvent } from '../../src/main/ipc/engine-event-batcher';
import { createIpcHandlers, type IpcHandlers } from '../../src/main/ipc/ipc-handlers';
import type { IpcToolDeps } from '../../src/main/ipc/tool-handlers';
import type { EngineApi } from '../../src/main/session/engine-api';
import type { ApiKeyStore } from '../../src/main/settings/api-key-store';
import type { SettingsStore } from '../../src/main/settings/settings-file';
import type { HistorySetup } from '../../src/main/history/history-setup';

/**
 * Stands in for Electron's IPC in the Chromium tests, and only for the transport: the page's
 * `window.parley` (see renderer-bridge-page.ts) sends each call over a WebSocket, and here it
 * goes to the REAL `createIpcHandlers` in front of the REAL engine, exactly as ipcMain would
 * hand it over. Events travel back through the real EngineEventBatcher, as in the app.
 */

export const BRIDGE_PATH = '/parley-bridge';

/** Page → Node: one `invoke`. */
export interface BridgeCall {
  id: number;
  route: string;
  input: unknown;
}

/** Node → page: the answer to a call, or a batch of events. */
export type BridgeMessage = { kind: 'result'; id: number; result: Result<unknown> } | { kind: 'events'; events: WindowEvent[] };

export interface RendererBridgeOptions {
  /** The HTTP server that serves the renderer: sharing its origin keeps the page's CSP intact. */
  server: Server;
  engine: EngineApi;
  settingsStore: SettingsStore;
  apiKeyStore: ApiKeyStore;
  /** The real tool layer, as the app passes it to the handlers. */
  tools?: IpcToolDeps | null;
  history?: HistorySetup | null;
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
}

export class RendererBridge {
  /** Every route the page called, in order, so a test can check what the window asked for. */
  readonly calls: Array<{ route: string; input: unknown }> = [];
  /** URLs the handlers agreed to open (there is no browser to hand them to here). */
  readonly openedLinks: string[] = [];
  readonly #sockets = new WebSocketServer({ noServer: true });
  readonly #handlers: IpcHandlers;
  readonly #batcher: EngineEventBatcher;
  readonly #cleanups: Array<() => void> = [];

  constructor(options: RendererBridgeOptions) {
    this.#batcher = new EngineEventBatcher({ flush: (events) => this.#broadcast({ kind: 'events', events }) });
    this.#handlers = createIpcHandlers({
      engine: options.engine,
      settingsStore: options.settingsStore,
      apiKeyStore: options.apiKeyStore,
      openExternal: async (url) => {
        this.openedLinks.push(url);
      },
      pushEvent: (event: AppEvent) => this.#batcher.push(event),
      tools: options.tools ?? null,
      history: options.history ?? null,
      ...(options.chooseExportPath ? { chooseExportPath: options.chooseExportPath } : {}),
    });
    this.#cleanups.push(options.engine.onEvent((event) => this.#batcher.push(event)));

    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname !== BRIDGE_PATH) return;
      this.#sockets.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
    };
    options.server.on('upgrade', onUpgrade);
    this.#cleanups.push(() => options.server.off('upgrade', onUpgrade));
  }

  /**
   * Sends events to the page through the same batcher the engine's events take. The long
   * conversation test uses it to lay down hundreds of earlier turns quickly.
   */
  pushEvents(events: WindowEvent[]): void {
    for (const event of events) this.#batcher.push(event);
  }

  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#batcher.dispose();
    for (const client of this.#sockets.clients) client.terminate();
    this.#sockets.close();
  }

  #accept(ws: WebSocket): void {
    ws.on('message', (data) => {
      void this.#answer(ws, String(data));
    });
  }

  async #answer(ws: WebSocket, text: string): Promise<void> {
    const call = JSON.parse(text) as BridgeCall;
    this.calls.push({ route: call.route, input: call.input });
    const result = isRoute(call.route) ? await this.#handlers[call.route](call.input) : { ok: false as const, error: { code: 'refused' as const, message: `Unknown route ${call.route}` } };
    const message: BridgeMessage = { kind: 'result', id: call.id, result };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  #broadcast(message: BridgeMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.#sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  }
}

function isRoute(route: string): route is IpcRoute {
  return Object.hasOwn(IpcRoutes, route);
}
