import { describe, expect, it, vi } from 'vitest';

/**
 * There is no Electron binary on this machine (and no display for one), so `electron` is
 * mocked: BrowserWindow records its options and the handlers the window installs, and the
 * test calls those handlers the way Electron would.
 */
type Listener = (...args: unknown[]) => void;

const created = vi.hoisted(() => [] as Array<{ options: Record<string, unknown>; window: unknown }>);

vi.mock('electron', () => {
  class FakeSession {
    permissionRequest: ((...args: unknown[]) => void) | null = null;
    permissionCheck: ((...args: unknown[]) => boolean) | null = null;
    headersReceived: ((details: unknown, callback: (response: unknown) => void) => void) | null = null;
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequest = handler;
    }
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheck = handler;
    }
    webRequest = {
      onHeadersReceived: (handler: (details: unknown, callback: (response: unknown) => void) => void) => {
        this.headersReceived = handler;
      },
    };
  }
  class FakeWebContents {
    listeners = new Map<string, Listener>();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    session = new FakeSession();
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
  }
  class BrowserWindow {
    webContents = new FakeWebContents();
    loaded: string[] = [];
    shown = false;
    onceListeners = new Map<string, Listener>();
    constructor(options: Record<string, unknown>) {
      created.push({ options, window: this });
    }
    once(name: string, listener: Listener) {
      this.onceListeners.set(name, listener);
      return this;
    }
    show() {
      this.shown = true;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return { BrowserWindow };
});

const { createMainWindow } = await import('../../../src/main/electron/main-window');
const { rendererLocation } = await import('../../../src/main/electron/renderer-location');
const { PRODUCTION_CSP, DEV_CSP } = await import('../../../src/main/electron/content-security-policy');

interface CreatedWindow {
  loaded: string[];
  shown: boolean;
  onceListeners: Map<string, Listener>;
  webContents: {
    listeners: Map<string, Listener>;
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
    session: {
      permissionRequest: ((...args: unknown[]) => void) | null;
      permissionCheck: ((...args: unknown[]) => boolean) | null;
      headersReceived: ((details: unknown, callback: (response: unknown) => void) => void) | null;
    };
  };
}

function openWindow(devServerUrl?: string) {
  const externals: string[] = [];
  const location = rendererLocation({ devServerUrl, indexHtmlPath: '/app/out/renderer/index.html' });
  createMainWindow({ preloadPath: '/app/out/preload/index.cjs', location, openExternal: (url) => externals.push(url) });
  const window = created.at(-1)?.window as CreatedWindow;
  return { window, externals };
}

describe('the main window', () => {
  it('is sandboxed, isolated, without Node, with web security on', () => {
    openWindow();
    expect(created.at(-1)?.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(created.at(-1)?.options.show).toBe(false);
  });

  it('loads our own page and shows itself once ready', () => {
    const { window } = openWindow();
    expect(window.loaded).toEqual(['file:///app/out/renderer/index.html']);
    expect(window.shown).toBe(false);
    window.onceListeners.get('ready-to-show')?.();
    expect(window.shown).toBe(true);
    expect(openWindow('http://localhost:5173/').window.loaded).toEqual(['http://localhost:5173/']);
  });

  it('blocks every navigation, redirect and webview', () => {
    const { window } = openWindow();
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      window.webContents.listeners.get(name)?.(event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalledOnce();
    }
  });

  it('opens no new windows; outside links go to the external opener', () => {
    const { window, externals } = openWindow();
    const handler = window.webContents.windowOpenHandler;
    expect(handler?.({ url: 'https://platform.openai.com/api-keys' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'file:///app/out/renderer/index.html' })).toEqual({ action: 'deny' });
    expect(externals).toEqual(['https://platform.openai.com/api-keys']);
  });

  it('denies every permission request and check', () => {
    const { window } = openWindow();
    const { session } = window.webContents;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      const callback = vi.fn();
      session.permissionRequest?.(window.webContents, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheck?.(window.webContents, permission)).toBe(false);
    }
  });

  it('adds the CSP header to responses: strict in production, relaxed for hot reload in dev', () => {
    for (const [devUrl, policy] of [
      [undefined, PRODUCTION_CSP],
      ['http://localhost:5173/', DEV_CSP],
    ] as const) {
      const { window } = openWindow(devUrl);
      const callback = vi.fn();
      window.webContents.session.headersReceived?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
      expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] } });
    }
  });
});

describe('the Content-Security-Policy', () => {
  it('is what the build puts at the top of each renderer page, and the dev policy only in dev', async () => {
    const { contentSecurityPolicyMeta } = await import('../../../electron.vite.config');
    for (const [command, policy] of [
      ['build', PRODUCTION_CSP],
      ['serve', DEV_CSP],
    ] as const) {
      const plugin = contentSecurityPolicyMeta() as unknown as { configResolved(config: { command: string }): void; transformIndexHtml(): unknown };
      plugin.configResolved({ command });
      expect(plugin.transformIndexHtml()).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }]);
    }
  });

  it('allows no inline script, eval or remote source in production', () => {
    expect(PRODUCTION_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(PRODUCTION_CSP).toContain("default-src 'none'");
  });
});
