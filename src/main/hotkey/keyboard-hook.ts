import { uIOhook } from 'uiohook-napi';
import { UserFacingError } from '../user-facing-error';
import { hotkeyUnavailable, probeKeyboardHook } from './keyboard-hook-probe';

/** The parts of a uiohook keyboard event that hold-to-talk reads. */
export interface KeyboardHookEvent {
  keycode: number;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
  /** When the key moved, in ms on the OS's own event clock (the X server's on Linux); 0 or absent if unknown. */
  time?: number;
}

export type KeyboardHookListener = (event: KeyboardHookEvent) => void;

/**
 * A global keyboard hook, shaped like uiohook-napi's `uIOhook` so the real one fits as is.
 * `start` may be async (the shared hook checks first that starting cannot crash the process).
 */
export interface KeyboardHook {
  on(event: 'keydown', listener: KeyboardHookListener): unknown;
  on(event: 'keyup', listener: KeyboardHookListener): unknown;
  off(event: 'keydown', listener: KeyboardHookListener): unknown;
  off(event: 'keyup', listener: KeyboardHookListener): unknown;
  start(): void | Promise<void>;
  stop(): void;
}

/**
 * uiohook is one hook per process: stopping it stops it for every listener. This wrapper
 * counts its users, so one PushToTalkKey replacing another (a new hotkey setting) can
 * `start()` and `stop()` without cutting the other off. Before the first native start it runs
 * `probe`, because a failed native start aborts or hangs the whole process (uiohook-napi 1.5).
 */
export class SharedKeyboardHook implements KeyboardHook {
  private users = 0;
  private running = false;
  private probed: Promise<void> | undefined;

  constructor(
    private readonly native: KeyboardHook,
    private readonly probe: () => Promise<void> = async () => {},
  ) {}

  on(event: 'keydown' | 'keyup', listener: KeyboardHookListener): this {
    this.native.on(event as 'keydown', listener);
    return this;
  }

  off(event: 'keydown' | 'keyup', listener: KeyboardHookListener): this {
    this.native.off(event as 'keydown', listener);
    return this;
  }

  async start(): Promise<void> {
    // A failed probe is retried on the next start: the user may have granted access meanwhile.
    this.probed ??= this.probe().catch((error: unknown) => {
      this.probed = undefined;
      throw error;
    });
    await this.probed;
    if (!this.running) {
      try {
        await this.native.start();
      } catch (error) {
        if (error instanceof UserFacingError) throw error;
        throw hotkeyUnavailable(process.platform, process.env, error instanceof Error ? error.message : String(error));
      }
      this.running = true;
    }
    this.users++;
  }

  stop(): void {
    if (this.users === 0) return;
    this.users--;
    if (this.users === 0 && this.running) {
      this.running = false;
      this.native.stop();
    }
  }

  get userCount(): number {
    return this.users;
  }
}

/**
 * The system's keyboard hook (uiohook-napi), shared by everything in this process. Create it
 * once in the composition root (headless main or the Electron glue) and hand the same object
 * to every PushToTalkKey: two of these would stop each other's native hook.
 */
export function createUiohookKeyboard(): SharedKeyboardHook {
  return new SharedKeyboardHook(uIOhook, () => probeKeyboardHook());
}
