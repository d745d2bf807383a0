import { BrowserWindow, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from './content-security-policy';
import { isOwnRendererUrl, type RendererLocation } from './renderer-location';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  location: RendererLocation;
  /** Called for links the page tries to open in a new window; decides itself whether to open them. */
  openExternal(url: string): void;
  /** Show the window once it is ready (default); false keeps it hidden until the tray asks. */
  show?: boolean;
}

/**
 * Creates the one window and locks it down before it loads anything. Every web preference
 * is the safe one, written out here in the constructor call so the security scan can see it.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 960,
    height: 720,
    minWidth: 480,
    minHeight: 400,
    title: 'Parley',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise try to open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  hardenSession(window.webContents.session, options.location);
  hardenContents(window.webContents, options);
  if (options.show !== false) window.once('ready-to-show', () => window.show());
  window.loadURL(options.location.url).catch((error: unknown) => {
    console.error(`Parley could not load its window: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}

/** No navigation, no new windows, no webviews: the page is the app, nothing else. */
export function hardenContents(contents: WebContents, options: Pick<MainWindowOptions, 'location' | 'openExternal'>): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // target="_blank" links: handed to the allow-listed opener, never a new Electron window.
    if (!isOwnRendererUrl(url, options.location)) options.openExternal(url);
    return { action: 'deny' };
  });
}

/** Denies every permission (the page never needs the mic: the main process owns audio) and adds the CSP header. */
export function hardenSession(session: Session, location: RendererLocation): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const policy = contentSecurityPolicy(location.kind === 'dev-server');
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}
