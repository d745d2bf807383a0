import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { i18n } from 'i18next';
import type { AssistantState } from '../../shared/engine-events';
import { STATE_LOOK, rgbOf } from '../../shared/assistant-state-look';
import type { Language } from '../../shared/i18n/languages';
import { renderDiscPng } from './status-icon';

export interface StatusTrayOptions {
  onShow(): void;
  onHide(): void;
  onQuit(): void;
  /** Main's i18next instance (src/shared/i18n/create-i18n.ts): the menu and tooltip words come from it. */
  i18n: i18n;
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
  #state: AssistantState;

  constructor(
    private readonly options: StatusTrayOptions,
    initialState: AssistantState = 'connecting',
  ) {
    this.#state = initialState;
    this.#tray = new Tray(this.#image(initialState));
    this.#tray.on('click', () => options.onShow());
    this.#label();
  }

  setState(state: AssistantState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#tray.setImage(this.#image(state));
    this.#tray.setToolTip(this.#tooltip());
  }

  /** Re-labels the menu and tooltip, for a changed `language` setting. */
  setLanguage(language: Language): void {
    if (language === this.options.i18n.language) return;
    void this.options.i18n.changeLanguage(language);
    this.#label();
  }

  dispose(): void {
    this.#tray.destroy();
  }

  #label(): void {
    const { t } = this.options.i18n;
    this.#tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: t('tray.show'), click: () => this.options.onShow() },
        { label: t('tray.hide'), click: () => this.options.onHide() },
        { type: 'separator' },
        { label: t('tray.quit'), click: () => this.options.onQuit() },
      ]),
    );
    this.#tray.setToolTip(this.#tooltip());
  }

  #tooltip(): string {
    const { t } = this.options.i18n;
    return t('tray.tooltip', { state: t(`state.${this.#state}`) });
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
