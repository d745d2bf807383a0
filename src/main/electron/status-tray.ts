import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { AssistantState } from '../../shared/engine-events';
import { STATE_LOOK, rgbOf } from '../../shared/assistant-state-look';
import { renderDiscPng } from './status-icon';

export interface StatusTrayOptions {
  onShow(): void;
  onHide(): void;
  onQuit(): void;
}

/** 32 px is crisp on a 2× panel and scaled down cleanly elsewhere. */
const TRAY_ICON_SIZE = 32;

/**
 * The tray icon: its colour and tooltip follow the assistant's state, so the user can see
 * Parley listening while the window is hidden. Its menu shows, hides or quits the app.
 */
export class StatusTray {
  readonly #tray: Tray;
  readonly #images = new Map<AssistantState, NativeImage>();
  #state: AssistantState | null = null;

  constructor(options: StatusTrayOptions, initialState: AssistantState = 'connecting') {
    this.#tray = new Tray(this.#image(initialState));
    this.#tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Parley', click: () => options.onShow() },
        { label: 'Hide Parley', click: () => options.onHide() },
        { type: 'separator' },
        { label: 'Quit Parley', click: () => options.onQuit() },
      ]),
    );
    this.#tray.on('click', () => options.onShow());
    this.setState(initialState);
  }

  setState(state: AssistantState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#tray.setImage(this.#image(state));
    this.#tray.setToolTip(`Parley: ${STATE_LOOK[state].label}`);
  }

  dispose(): void {
    this.#tray.destroy();
  }

  #image(state: AssistantState): NativeImage {
    let image = this.#images.get(state);
    if (!image) {
      image = nativeImage.createFromBuffer(renderDiscPng(TRAY_ICON_SIZE, rgbOf(STATE_LOOK[state].light)));
      this.#images.set(state, image);
    }
    return image;
  }
}
