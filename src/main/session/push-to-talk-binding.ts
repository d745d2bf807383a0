import { parseHotkey } from '../hotkey/hotkey-combo';
import { PushToTalkKey, type ForcedReleaseReason, type KeyRelease } from '../hotkey/push-to-talk-key';
import { toUserFacingError, type UserFacingError } from '../user-facing-error';
import type { EngineFactory } from './engine-factory';

export interface PushToTalkHandlers {
  onPress(): void;
  onRelease(release: KeyRelease): void;
  onError(error: UserFacingError): void;
}

/**
 * Keeps one PushToTalkKey bound to the hotkey setting. A bad hotkey string or a keyboard
 * hook that cannot start becomes an error event, never an exception: the rest of Parley
 * keeps working and the user can pick another key.
 */
export class PushToTalkBinding {
  private key: PushToTalkKey | null = null;

  constructor(
    private readonly factory: EngineFactory,
    private readonly log: (message: string) => void,
    private readonly handlers: PushToTalkHandlers,
  ) {}

  /** Resolves once the key listens, or once its failure has been reported. */
  async bind(hotkey: string, maxHoldMs: number): Promise<void> {
    this.dispose();
    try {
      const key = new PushToTalkKey({ hook: this.factory.keyboard(), combo: parseHotkey(hotkey), maxHoldMs, log: this.log });
      key.onPress(() => this.handlers.onPress());
      key.onRelease((release) => {
        if (release.reason !== 'key-up') this.log(`hotkey released: ${release.reason}`);
        this.handlers.onRelease(release);
      });
      this.key = key;
      await key.start();
    } catch (error) {
      this.handlers.onError(toUserFacingError(error));
    }
  }

  forceRelease(reason: ForcedReleaseReason): void {
    this.key?.forceRelease(reason);
  }

  dispose(): void {
    this.key?.dispose();
    this.key = null;
  }
}
