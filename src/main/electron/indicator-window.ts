import { BrowserWindow, screen } from 'electron';
import { INDICATOR_CHANNEL, type IndicatorUpdate } from '../../shared/indicator';
import type { DesktopSettings } from '../../shared/settings';
import { hardenContents, hardenSession } from './main-window';
import type { RendererLocation } from './renderer-location';

const WIDTH = 240;
const HEIGHT = 56;
const MARGIN = 16;

export interface IndicatorWindowOptions {
  preloadPath: string;
  /** The indicator page: out/renderer/indicator.html, or the dev server's. */
  location: RendererLocation;
}

/**
 * The on-screen indicator: a small always-on-top window that shows the pill and ignores the
 * mouse (clicks go to whatever is under it). It is hardened like the main window (sandbox,
 * context isolation, CSP, no navigation) and its preload can only receive updates. Created
 * the first time it is needed, so a user who never hides the window never pays for it.
 */
export class IndicatorWindow {
  #window: BrowserWindow | null = null;
  #corner: DesktopSettings['indicatorCorner'] = 'bottom-right';

  constructor(private readonly options: IndicatorWindowOptions) {}

  show(update: IndicatorUpdate, corner: DesktopSettings['indicatorCorner']): void {
    const window = this.#ensure();
    if (corner !== this.#corner || !window.isVisible()) {
      this.#corner = corner;
      this.#place(window);
    }
    window.webContents.send(INDICATOR_CHANNEL, update);
    if (!window.isVisible()) window.showInactive();
  }

  hide(): void {
    if (this.#window && !this.#window.isDestroyed() && this.#window.isVisible()) this.#window.hide();
  }

  dispose(): void {
    if (this.#window && !this.#window.isDestroyed()) this.#window.destroy();
    this.#window = null;
  }

  #ensure(): BrowserWindow {
    if (this.#window && !this.#window.isDestroyed()) return this.#window;
    const window = new BrowserWindow({
      width: WIDTH,
      height: HEIGHT,
      show: false,
      frame: false,
      transparent: true,
      resizable: false,
      movable: false,
      focusable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      hasShadow: false,
      title: 'Parley indicator',
      webPreferences: {
        preload: this.options.preloadPath,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setIgnoreMouseEvents(true);
    window.setVisibleOnAllWorkspaces(true);
    hardenSession(window.webContents.session, this.options.location);
    hardenContents(window.webContents, { location: this.options.location, openExternal: () => undefined });
    void window.loadURL(this.options.location.url).catch((error: unknown) => console.error(`Parley could not load its indicator: ${String(error)}`));
    this.#window = window;
    return window;
  }

  #place(window: BrowserWindow): void {
    const area = screen.getPrimaryDisplay().workArea;
    const left = this.#corner.endsWith('left') ? area.x + MARGIN : area.x + area.width - WIDTH - MARGIN;
    const top = this.#corner.startsWith('top') ? area.y + MARGIN : area.y + area.height - HEIGHT - MARGIN;
    window.setPosition(Math.round(left), Math.round(top));
  }
}
