import type { WebContents, WebFrameMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { IpcRoutes, type IpcRoute, type Result } from '../../../src/shared/ipc';
import type { IpcHandlers } from '../../../src/main/ipc/ipc-handlers';
import { registerIpcRoutes } from '../../../src/main/electron/ipc-routes';
import { rendererLocation, type RendererLocation } from '../../../src/main/electron/renderer-location';
import { createSenderCheck, isTrustedSender, type SenderEvent } from '../../../src/main/electron/sender-check';

/**
 * There is no Electron binary on this machine, so webContents and frames are stand-ins with
 * the few properties the check reads (identity, mainFrame, url, isDestroyed).
 */
function frame(url: string): WebFrameMain {
  return { url } as WebFrameMain;
}
function contents(mainFrameUrl: string): WebContents {
  let destroyed = false;
  const fake = { mainFrame: frame(mainFrameUrl), isDestroyed: () => destroyed, destroy: () => (destroyed = true) };
  return fake as unknown as WebContents;
}

const production: RendererLocation = rendererLocation({ devServerUrl: undefined, indexHtmlPath: '/opt/Parley/resources/app.asar/out/renderer/index.html' });
const dev: RendererLocation = rendererLocation({ devServerUrl: 'http://localhost:5173/', indexHtmlPath: '/unused' });
const OWN_FILE = 'file:///opt/Parley/resources/app.asar/out/renderer/index.html';

describe('isTrustedSender', () => {
  it('accepts our window, its top frame, our page', () => {
    const own = contents(OWN_FILE);
    expect(isTrustedSender({ sender: own, senderFrame: own.mainFrame }, own, production)).toBe(true);
  });

  it('accepts our page with a hash or query, and the dev server in dev', () => {
    const hashed = contents(`${OWN_FILE}#/settings`);
    expect(isTrustedSender({ sender: hashed, senderFrame: hashed.mainFrame }, hashed, production)).toBe(true);
    const devContents = contents('http://localhost:5173/index.html?x=1');
    expect(isTrustedSender({ sender: devContents, senderFrame: devContents.mainFrame }, devContents, dev)).toBe(true);
  });

  it('rejects another webContents, even one showing our page', () => {
    const own = contents(OWN_FILE);
    const other = contents(OWN_FILE);
    expect(isTrustedSender({ sender: other, senderFrame: other.mainFrame }, own, production)).toBe(false);
  });

  it('rejects a subframe of our window, even same-origin', () => {
    const own = contents(OWN_FILE);
    expect(isTrustedSender({ sender: own, senderFrame: frame(OWN_FILE) }, own, production)).toBe(false);
  });

  it('rejects a frame that is gone (null)', () => {
    const own = contents(OWN_FILE);
    expect(isTrustedSender({ sender: own, senderFrame: null }, own, production)).toBe(false);
  });

  it.each([
    'https://evil.example/index.html',
    'file:///tmp/index.html',
    'file:///opt/Parley/resources/app.asar/out/renderer/other.html',
    'http://localhost:5173/',
    'data:text/html,<script>1</script>',
    'about:blank',
  ])('rejects our top frame showing another page: %s', (url) => {
    const own = contents(url);
    expect(isTrustedSender({ sender: own, senderFrame: own.mainFrame }, own, production)).toBe(false);
  });

  it('rejects other origins in dev, including another port on localhost', () => {
    for (const url of ['http://localhost:5174/', 'http://127.0.0.1:5173/', 'https://localhost:5173/', OWN_FILE]) {
      const own = contents(url);
      expect(isTrustedSender({ sender: own, senderFrame: own.mainFrame }, own, dev)).toBe(false);
    }
  });

  it('rejects everything when the window is gone', () => {
    const own = contents(OWN_FILE) as WebContents & { destroy(): void };
    const event: SenderEvent = { sender: own, senderFrame: own.mainFrame };
    expect(isTrustedSender(event, null, production)).toBe(false);
    own.destroy();
    expect(isTrustedSender(event, own, production)).toBe(false);
  });
});

describe('registerIpcRoutes', () => {
  it('puts every route behind the sender check and removes them on dispose', async () => {
    const registered = new Map<string, (event: SenderEvent, input: unknown) => unknown>();
    const ipcMain = {
      handle: (channel: string, listener: (event: SenderEvent, input: unknown) => unknown) => void registered.set(channel, listener),
      removeHandler: (channel: string) => void registered.delete(channel),
    };
    const calls: Array<[IpcRoute, unknown]> = [];
    const handlers = Object.fromEntries(
      (Object.keys(IpcRoutes) as IpcRoute[]).map((route) => [
        route,
        async (input: unknown): Promise<Result<null>> => {
          calls.push([route, input]);
          return { ok: true, data: null };
        },
      ]),
    ) as unknown as IpcHandlers;
    const own = contents(OWN_FILE);
    const stranger = contents('https://evil.example/');
    const dispose = registerIpcRoutes(ipcMain as never, handlers, createSenderCheck(() => own, production));

    expect([...registered.keys()].sort()).toEqual(Object.keys(IpcRoutes).sort());
    const turnRetry = registered.get('turn.retry');
    expect(await turnRetry?.({ sender: own, senderFrame: own.mainFrame }, undefined)).toEqual({ ok: true, data: null });
    expect(await turnRetry?.({ sender: stranger, senderFrame: stranger.mainFrame }, undefined)).toEqual({
      ok: false,
      error: { code: 'refused', message: 'Parley ignored a request that did not come from its own window.' },
    });
    expect(await registered.get('link.open')?.({ sender: own, senderFrame: frame(OWN_FILE) }, { url: 'https://x' })).toMatchObject({ ok: false });
    expect(calls).toEqual([['turn.retry', undefined]]);

    dispose();
    expect(registered.size).toBe(0);
  });
});
