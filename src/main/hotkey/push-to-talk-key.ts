import { timerAfterIo, type TimerHandle } from '../timer-after-io';
import { comboMatchesKeydown, comboReleasedBy, type HotkeyCombo } from './hotkey-combo';
import type { KeyboardHook, KeyboardHookEvent } from './keyboard-hook';

export type ForcedReleaseReason = 'session-locked' | 'suspended';
export type ReleaseReason = 'key-up' | 'safety-limit' | 'disposed' | 'combo-changed' | ForcedReleaseReason;

/** How a hold ended, timed by the key events themselves rather than by when we got round to them. */
export interface KeyRelease {
  reason: ReleaseReason;
  /** From the key-down event to the key-up event (or to now, for a release that was not a key-up). */
  heldMs: number;
  /** `now()` when the key-up event arrived, before the auto-repeat settle; for other releases, the release itself. */
  releasedAt: number;
}

/** One line for the log (stderr in headless mode); the engine's loggers all have this shape. */
export type HotkeyLog = (message: string) => void;

export type SetTimer = (callback: () => void, ms: number) => TimerHandle;

export interface PushToTalkKeyDeps {
  /** Share one hook per process (createUiohookKeyboard); see SharedKeyboardHook. */
  hook: KeyboardHook;
  combo: HotkeyCombo;
  /** A hold longer than this releases itself (a stuck key, a missed key-up). Default 5 minutes. */
  maxHoldMs?: number;
  log: HotkeyLog;
  now?: () => number;
  setTimer?: SetTimer;
}

export const DEFAULT_MAX_HOLD_MS = 5 * 60_000;

/**
 * Auto-repeat sends the held key again about every 40 ms after a ~600 ms delay. After a
 * release that was not a key-up (safety limit, lock), keydowns arriving closer together than
 * this are the same physical hold still repeating and must not start a new press; a keydown
 * after a longer quiet spell is a new press whose key-up we simply never saw.
 */
const REPEAT_GAP_MS = 1000;

/**
 * uiohook asks the X server for detectable auto-repeat, but where a server cannot give it,
 * auto-repeat arrives as a key-up and key-down pair, back to back, every repeat. A key-up
 * therefore only counts once no key-down of the same key follows within this window. It
 * delays a real release by as much, which the post-roll covers many times over.
 */
export const KEY_UP_SETTLE_MS = 50;

/**
 * An auto-repeat pair's key-up and key-down carry the same stamp from the OS; a person lifting
 * and pressing again takes far longer than this. Without stamps, a key-down after a key-up
 * still in its settle counts as a repeat.
 */
const REPEAT_PAIR_STAMPS_WITHIN_MS = 10;

function stampedApart(keyUpTime: number, keyDownTime: number | undefined): boolean {
  return keyUpTime > 0 && keyDownTime !== undefined && keyDownTime > 0 && keyDownTime - keyUpTime > REPEAT_PAIR_STAMPS_WITHIN_MS;
}

/** A key-up waiting out the settle, with how that hold is to be reported if it was real. */
interface PendingKeyUp {
  timer: TimerHandle;
  eventTime: number;
  release: Omit<KeyRelease, 'reason'>;
}

/** The settle must not end a hold whose repeat key-down came during a stall (see timerAfterIo). */
const systemTimer: SetTimer = (callback, ms) => timerAfterIo(callback, ms, { unref: true });

type Listener<T extends unknown[]> = (...args: T) => void;

/**
 * Hold-to-talk on a global hotkey: `onPress` when the combo goes down, `onRelease` once when
 * the hold ends, however it ends. Auto-repeat and other keys are ignored. Every hook callback
 * is guarded, because an exception thrown back into uiohook takes the process down.
 */
export class PushToTalkKey {
  private combo: HotkeyCombo;
  private maxHoldMs: number;
  private readonly hook: KeyboardHook;
  private readonly log: HotkeyLog;
  private readonly now: () => number;
  private readonly setTimer: SetTimer;
  private readonly pressListeners = new Set<Listener<[]>>();
  private readonly releaseListeners = new Set<Listener<[KeyRelease]>>();
  private held = false;
  private safetyTimer: TimerHandle | undefined;
  /** A key-up that may still turn out to be half of an auto-repeat pair. */
  private pendingKeyUp: PendingKeyUp | undefined;
  /** Set by a release that was not a key-up, until the physical key is seen to come up. */
  private awaitingKeyUp = false;
  private lastMainKeyDownAt = Number.NEGATIVE_INFINITY;
  /** The press that started the current hold: its event time and when it reached us. */
  private pressedAt = { eventTime: 0, seenAt: 0 };
  private state: 'new' | 'starting' | 'listening' | 'disposed' = 'new';

  constructor(deps: PushToTalkKeyDeps) {
    this.hook = deps.hook;
    this.combo = deps.combo;
    this.maxHoldMs = deps.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.log = deps.log;
    this.now = deps.now ?? (() => performance.now());
    this.setTimer = deps.setTimer ?? systemTimer;
  }

  /** Starts listening. Throws UserFacingError('hotkey-unavailable') when the OS will not let us. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    try {
      await this.hook.start();
    } catch (error) {
      this.state = 'new';
      throw error;
    }
    if (this.state !== 'starting') {
      // Disposed while the hook was starting: give our share of it back.
      this.hook.stop();
      return;
    }
    this.hook.on('keydown', this.handleKeydown);
    this.hook.on('keyup', this.handleKeyup);
    this.state = 'listening';
  }

  /** Returns a function that unsubscribes. */
  onPress(listener: () => void): () => void {
    this.pressListeners.add(listener);
    return () => this.pressListeners.delete(listener);
  }

  onRelease(listener: (release: KeyRelease) => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Changes the key live; a hold in progress ends first (reason 'combo-changed'). */
  setCombo(combo: HotkeyCombo): void {
    this.release('combo-changed');
    this.combo = combo;
    this.awaitingKeyUp = false;
  }

  /** Ends a hold whose key-up may never come: screen locked, system suspended. */
  forceRelease(reason: ForcedReleaseReason = 'session-locked'): void {
    this.release(reason);
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.release('disposed');
    const wasListening = this.state === 'listening';
    this.state = 'disposed';
    if (wasListening) {
      this.hook.off('keydown', this.handleKeydown);
      this.hook.off('keyup', this.handleKeyup);
      this.hook.stop();
    }
    this.pressListeners.clear();
    this.releaseListeners.clear();
  }

  private readonly handleKeydown = (event: KeyboardHookEvent): void => {
    this.guard('keydown', () => {
      if (!this.combo.keycodes.includes(event.keycode)) return;
      const sinceLastDown = this.now() - this.lastMainKeyDownAt;
      this.lastMainKeyDownAt = this.now();
      const pending = this.pendingKeyUp;
      if (pending && !stampedApart(pending.eventTime, event.time)) {
        // The key-up just before this was the first half of an auto-repeat pair.
        pending.timer.cancel();
        this.pendingKeyUp = undefined;
        return;
      }
      // A real key-up and a new press, handled together after a stall: the first hold ends first.
      if (pending) this.release('key-up', pending.release);
      if (this.held) return; // auto-repeat
      if (this.awaitingKeyUp && sinceLastDown < REPEAT_GAP_MS) return;
      this.awaitingKeyUp = false;
      if (!comboMatchesKeydown(this.combo, event)) return;
      this.pressedAt = { eventTime: event.time ?? 0, seenAt: this.now() };
      this.press();
    });
  };

  private readonly handleKeyup = (event: KeyboardHookEvent): void => {
    this.guard('keyup', () => {
      if (this.combo.keycodes.includes(event.keycode)) this.awaitingKeyUp = false;
      if (!this.held || !comboReleasedBy(this.combo, event.keycode)) return;
      this.pendingKeyUp?.timer.cancel();
      // Timed now, not when the settle ends: a tap is judged by the key, not by our own delay.
      const seenAt = this.now();
      const release = { heldMs: this.heldBetween(event.time ?? 0, seenAt), releasedAt: seenAt };
      const timer = this.setTimer(() => {
        this.pendingKeyUp = undefined;
        this.guard('key-up', () => this.release('key-up', release));
      }, KEY_UP_SETTLE_MS);
      this.pendingKeyUp = { timer, eventTime: event.time ?? 0, release };
    });
  };

  private press(): void {
    this.held = true;
    this.safetyTimer = this.setTimer(() => {
      this.guard('safety limit', () => this.release('safety-limit'));
    }, this.maxHoldMs);
    for (const listener of [...this.pressListeners]) this.guard('press listener', listener);
  }

  /**
   * The OS stamps key events on its own clock, which is what the user's finger did; our
   * callback times add whatever delay the event loop had. Fall back to those only when the
   * OS gave no usable stamps.
   */
  private heldBetween(keyUpEventTime: number, keyUpSeenAt: number): number {
    const byEvents = keyUpEventTime - this.pressedAt.eventTime;
    if (this.pressedAt.eventTime > 0 && keyUpEventTime > 0 && byEvents >= 0 && byEvents < this.maxHoldMs * 2) return byEvents;
    return keyUpSeenAt - this.pressedAt.seenAt;
  }

  private release(reason: ReleaseReason, timing?: Omit<KeyRelease, 'reason'>): void {
    if (!this.held) return;
    this.held = false;
    this.pendingKeyUp?.timer.cancel();
    this.pendingKeyUp = undefined;
    this.safetyTimer?.cancel();
    this.safetyTimer = undefined;
    if (reason !== 'key-up') this.awaitingKeyUp = true;
    if (reason === 'safety-limit') this.log(`hotkey: held past ${Math.round(this.maxHoldMs / 1000)} s, released it`);
    const now = this.now();
    const release: KeyRelease = { reason, heldMs: timing?.heldMs ?? now - this.pressedAt.seenAt, releasedAt: timing?.releasedAt ?? now };
    for (const listener of [...this.releaseListeners]) this.guard('release listener', () => listener(release));
  }

  private guard(where: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.log(`hotkey: ${where} threw (the hotkey keeps working): ${detail}`);
    }
  }
}
