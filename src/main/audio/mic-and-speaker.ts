import type { HeardAudio } from './pcm-format';
import type { UserFacingError } from '../user-facing-error';

/**
 * The session talks to the sound card through these two interfaces. The naudiodon
 * implementations live beside this file; both convert between the device's own rate and
 * the engine's 24 kHz mono PCM16.
 */

export type Unsubscribe = () => void;

export interface MicFramesListener {
  /** `capturedAt` is `performance.now()` when the newest sample in `pcm` reached Node. */
  (pcm: Int16Array, capturedAt: number): void;
}

/** Audio captured before a turn began; `pcm` may be empty. */
export interface RecentAudio {
  pcm: Int16Array;
  capturedAt: number;
}

export interface Microphone {
  /** Opens the device (idempotent). Rejects with a UserFacingError naming the problem. */
  open(): Promise<void>;
  /** Closes the device (idempotent); the OS mic indicator goes off. */
  close(): Promise<void>;
  readonly isOpen: boolean;
  /**
   * 24 kHz mono PCM16 while listening, in the order captured, with nothing dropped. While not
   * listening (the initial state) an open mic still drains the device but only keeps a raw
   * backlog of the last moments, and emits nothing.
   */
  onFrames(listener: MicFramesListener): Unsubscribe;
  /**
   * The last `ms` before this call (as much as the backlog holds, at most), resampled to 24 kHz
   * and stamped with its newest sample's `capturedAt`: a turn's pre-roll. Empty while listening,
   * closed, or when the device had gone quiet (that audio is not the moment before the key).
   * Call it right before `setListening(true)`: the live frames then go on where it ends.
   */
  takeRecent(ms: number): RecentAudio;
  /**
   * `true`: emits live frames as they arrive. `false`: stops emitting and resampling, and forgets
   * the backlog. Idempotent; may be called while closed (it then takes effect on open). Cheap:
   * call it around every turn and mic test.
   */
  setListening(active: boolean): void;
  readonly isListening: boolean;
  /**
   * The device failed, or stopped delivering sound (unplugged, switched off, removed from the
   * sound server), while open. A stall is reported within a few periods, and the backlog is
   * dropped with it: nothing captured before the loss is handed out afterwards.
   */
  onError(listener: (error: UserFacingError) => void): Unsubscribe;
  /**
   * Why the mic hears nothing now, or null. Set with the onError event; cleared when sound comes
   * back by itself (the device returns, or the sound server moves the stream to another device)
   * or a later open() succeeds. A key press while it is set should send nothing and say this.
   */
  readonly unavailable: UserFacingError | null;
  dispose(): Promise<void>;
}

export interface Speaker {
  /**
   * Opens the device (idempotent), ready to play at once: the "get ready" call, made when a reply
   * may come soon (key-down). An open speaker that has had nothing to play for a while closes
   * itself to save CPU; each `open()` restarts that countdown.
   */
  open(): Promise<void>;
  /** Whether the device stream is open now (false after an idle close). */
  readonly isOpen: boolean;
  /**
   * Queues 24 kHz mono PCM16 for an assistant item; plays as it streams. When the device is
   * closed, it reopens by itself and plays everything queued meanwhile.
   */
  play(itemId: string, pcm: Int16Array): void;
  /** Stops within a few device periods and drops what is queued. Returns what was heard of the item playing, or null when nothing had played. */
  stop(): HeardAudio | null;
  /** True while queued audio remains to be handed to the device. */
  readonly isPlaying: boolean;
  /** The first sample of an item was handed to the device; `at` is `performance.now()`. */
  onPlaybackStarted(listener: (itemId: string, at: number) => void): Unsubscribe;
  /** Everything queued has been played out. */
  onDrained(listener: () => void): Unsubscribe;
  onError(listener: (error: UserFacingError) => void): Unsubscribe;
  dispose(): Promise<void>;
}
