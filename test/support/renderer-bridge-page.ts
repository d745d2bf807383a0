import type { ParleyApi } from '../../src/shared/ipc';
import { createParleyApi } from '../../src/shared/parley-api';

/**
 * The test build's preload: installed in the page with `addInitScript(installParleyBridge, path)`
 * before the renderer runs. It gives the page the same `window.parley` the real preload does
 * (each function calls one fixed route, `onEvents` returns an unsubscribe), but carries the
 * calls over a WebSocket to renderer-bridge.ts instead of Electron's IPC.
 *
 * Playwright sends this function to the page as source text, so it must not use anything
 * from outside its own body: the route table (createParleyApi, self-contained too) is passed in.
 */
export function installParleyBridge(bridgePath: string, parleyApi: typeof createParleyApi): void {
  type Listener = Parameters<ParleyApi['onEvents']>[0];
  type Message = { kind: 'result'; id: number; result: unknown } | { kind: 'events'; events: Parameters<Listener>[0] };
  const page = globalThis as unknown as { location: { host: string; protocol: string }; parley: ParleyApi };
  // Init scripts also run in the blank page a new tab starts with; only the served renderer gets the API.
  if (page.location.protocol !== 'http:') return;
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Set<Listener>();
  let nextId = 1;

  const socket = new WebSocket(`ws://${page.location.host}${bridgePath}`);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('the test bridge is not reachable')));
  });
  // A call made after the socket failed gets the rejection; nobody else needs to hear it.
  opened.catch(() => undefined);
  socket.addEventListener('close', () => {
    for (const [id, resolve] of pending) {
      pending.delete(id);
      resolve({ ok: false, error: { code: 'internal', message: 'The test bridge closed.' } });
    }
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.kind === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      for (const listener of listeners) listener(message.events);
    }
  });

  function call<T>(route: string, input?: unknown): Promise<T> {
    return opened.then(
      () =>
        new Promise<T>((resolve) => {
          const id = nextId++;
          pending.set(id, (result) => resolve(result as T));
          socket.send(JSON.stringify({ id, route, input }));
        }),
    );
  }

  page.parley = parleyApi(call, (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  });
}

/**
 * The init script's source. TypeScript runners (tsx, vitest) may wrap inner functions in a
 * `__name(...)` helper that exists only in Node, so the page gets a harmless one of its own.
 */
export function bridgeInitScript(bridgePath: string): string {
  return `globalThis.__name ??= (target) => target;\n(${installParleyBridge.toString()})(${JSON.stringify(bridgePath)}, ${createParleyApi.toString()});`;
}
