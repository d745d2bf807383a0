/**
 * A recording stand-in for the `electron` module, for running the BUILT main bundle (out/main/index.js) under plain
 * Node. Why a stand-in: no Electron binary can run on these machines (no download, no GPU/sandbox), yet the bundle's
 * own wiring (paths, ESM/CJS interop, native add-ons, start and shutdown order) must be tested as it ships.
 *
 * It implements only what src/main/index.ts and src/main/electron/** use, records every call that matters and sends
 * the records to the parent process over Node's IPC channel (`process.send`), and takes commands from it (click a tray
 * menu item, exit). A name the bundle imports but this file lacks fails at link time, loudly: add it here.
 *
 * The single-instance lock is real per user-data folder (single-instance-lock.mjs), so a second run is refused as in
 * Electron and the first one sees 'second-instance'.
 */
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { EventEmitter } from 'node:events';
import process from 'node:process';
import { setImmediate, setTimeout } from 'node:timers';
import { SingleInstanceLock } from './single-instance-lock.mjs';

const userData = process.env.PARLEY_STAND_IN_USER_DATA;
if (!userData) throw new Error('The electron stand-in needs PARLEY_STAND_IN_USER_DATA: the folder app.getPath("userData") returns.');
const instanceLock = new SingleInstanceLock(userData);

/** Functions, buffers and other live objects become short descriptions, so records stay plain JSON. */
function plain(value) {
  return JSON.parse(
    JSON.stringify(value, (_key, item) => {
      if (typeof item === 'function') return '[function]';
      if (item && item.type === 'Buffer' && Array.isArray(item.data)) return `[buffer of ${item.data.length} bytes]`;
      return item;
    }) ?? 'null',
  );
}

function record(api, ...args) {
  process.send?.({ kind: 'call', api, args: plain(args) });
}

/** Electron's preventable events: the listener may call preventDefault(). */
function preventableEvent() {
  const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
  return event;
}

const windows = new Set();
const trays = new Set();

class App extends EventEmitter {
  isPackaged = false;
  #ready = false;
  #whenReady = new Promise((resolve) => {
    setImmediate(() => {
      this.#ready = true;
      record('app.ready');
      this.emit('ready');
      resolve();
    });
  });

  on(event, listener) {
    record('app.on', event);
    return super.on(event, listener);
  }

  whenReady() {
    return this.#whenReady;
  }

  isReady() {
    return this.#ready;
  }

  getPath(name) {
    record('app.getPath', name);
    if (name !== 'userData') throw new Error(`The electron stand-in knows only app.getPath('userData'), not '${name}'.`);
    return userData;
  }

  getLocale() {
    record('app.getLocale');
    return process.env.PARLEY_STAND_IN_LOCALE ?? 'en-US';
  }

  getVersion() {
    record('app.getVersion');
    return '0.0.0-stand-in';
  }

  setLoginItemSettings(settings) {
    record('app.setLoginItemSettings', settings);
  }

  requestSingleInstanceLock() {
    const granted = instanceLock.request((argv) => this.emit('second-instance', preventableEvent(), argv, process.cwd()));
    record('app.requestSingleInstanceLock', granted);
    return granted;
  }

  /** As Electron: before-quit, close every window, will-quit (preventable), then the process ends. */
  quit() {
    record('app.quit');
    const beforeQuit = preventableEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of [...windows]) {
      window.close();
      if (!window.isDestroyed()) return; // a window refused to close: Electron cancels the quit
    }
    const willQuit = preventableEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.emit('quit', preventableEvent(), 0);
    void instanceLock.notified.then(() => endProcess(0));
  }

  exit(code = 0) {
    record('app.exit', code);
    endProcess(code);
  }
}

export const app = new App();

/**
 * Reports the end and lets the parent look at what is left (children, open devices). Then, told to exit, it does not
 * end the process as Electron would, whatever is still open: it lets Node's event loop drain, so the process ends by
 * itself only if the app left nothing running (socket, timer, stream, hook). If something is left, it says what.
 */
function endProcess(code) {
  instanceLock.release();
  process.exitCode = code;
  if (!process.send) process.exit(code);
  process.send({ kind: 'exiting', code, windowsOpen: windows.size, traysAlive: trays.size });
  process.on('message', (message) => message.command === 'exit' && process.disconnect());
  process.once('disconnect', () => {
    setTimeout(() => {
      console.error(`The app still holds ${process.getActiveResourcesInfo().join(', ')} after quitting, so it never ends by itself.`);
      process.exit(70);
    }, 15_000).unref();
  });
}

class WebContents extends EventEmitter {
  mainFrame = { url: '' };
  session = {
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => record('session.setPermissionCheckHandler'),
    webRequest: { onHeadersReceived: () => record('session.webRequest.onHeadersReceived') },
  };
  #destroyed = false;

  setWindowOpenHandler() {
    record('webContents.setWindowOpenHandler');
  }

  send(channel, payload) {
    process.send?.({ kind: 'webContents.send', channel, payload: plain(payload) });
  }

  isDestroyed() {
    return this.#destroyed;
  }

  destroy() {
    this.#destroyed = true;
  }
}

export class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  #visible = false;
  #focused = false;
  #destroyed = false;

  constructor(options) {
    super();
    record('BrowserWindow.new', options);
    windows.add(this);
  }

  async loadURL(url) {
    record('BrowserWindow.loadURL', url);
    this.webContents.mainFrame.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }

  show() {
    record('BrowserWindow.show');
    this.#visible = true;
  }

  hide() {
    record('BrowserWindow.hide');
    this.#visible = false;
  }

  focus() {
    this.#focused = true;
  }

  isFocused() {
    return this.#focused;
  }

  showInactive() {
    record('BrowserWindow.showInactive');
    this.#visible = true;
  }

  setAlwaysOnTop(...args) {
    record('BrowserWindow.setAlwaysOnTop', ...args);
  }

  setIgnoreMouseEvents(ignore) {
    record('BrowserWindow.setIgnoreMouseEvents', ignore);
  }

  setVisibleOnAllWorkspaces() {}

  setPosition(x, y) {
    record('BrowserWindow.setPosition', x, y);
  }

  isVisible() {
    return this.#visible;
  }

  isMinimized() {
    return false;
  }

  restore() {}

  /** As Electron: a 'close' listener may keep the window (ParleyApp hides it instead, until quitting). */
  close() {
    const event = preventableEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy() {
    if (this.#destroyed) return;
    record('BrowserWindow.destroy');
    this.#destroyed = true;
    this.webContents.destroy();
    windows.delete(this);
    this.emit('closed');
  }

  isDestroyed() {
    return this.#destroyed;
  }
}

export class Tray extends EventEmitter {
  menu = null;

  constructor(image) {
    super();
    record('Tray.new', image.describe());
    trays.add(this);
  }

  setContextMenu(menu) {
    record('Tray.setContextMenu', menu.labels());
    this.menu = menu;
  }

  setImage(image) {
    record('Tray.setImage', image.describe());
  }

  setToolTip(text) {
    record('Tray.setToolTip', text);
  }

  destroy() {
    record('Tray.destroy');
    trays.delete(this);
  }
}

export const Menu = {
  buildFromTemplate(template) {
    return { items: template, labels: () => template.map((item) => item.label ?? `(${item.type})`) };
  },
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const nativeImage = {
  createFromBuffer(buffer) {
    const png = buffer.subarray(0, 8).equals(PNG_SIGNATURE);
    return { isEmpty: () => buffer.length === 0, describe: () => ({ png, bytes: buffer.length }) };
  },
};

export const ipcMain = {
  handle: (channel) => record('ipcMain.handle', channel),
  removeHandler: (channel) => record('ipcMain.removeHandler', channel),
};

/** A Linux machine without a keyring: Electron falls back to its hard-coded password, which Parley refuses. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('The electron stand-in has no keyring.');
  },
  decryptString: () => {
    throw new Error('The electron stand-in has no keyring.');
  },
};

class PowerMonitor extends EventEmitter {
  on(event, listener) {
    record('powerMonitor.on', event);
    return super.on(event, listener);
  }

  off(event, listener) {
    record('powerMonitor.off', event);
    return super.off(event, listener);
  }
}

export const powerMonitor = new PowerMonitor();

/** One 1280×800 display, as the tests' Xvfb has. */
export const screen = {
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
};

/** Never shown in the smoke test: an export would need a user's answer. */
export const dialog = {
  showSaveDialog: async () => ({ canceled: true }),
};

export const shell = {
  openExternal: async (url) => record('shell.openExternal', url),
};

/** Commands from the test: click a tray menu item by its label, as the user would. */
process.on('message', (message) => {
  if (message.command !== 'click-tray-menu') return;
  const item = [...trays].flatMap((tray) => tray.menu?.items ?? []).find((entry) => entry.label === message.label);
  if (!item) console.error(`The electron stand-in found no tray menu item labelled "${message.label}".`);
  else item.click();
});
