import type { HeardAudio } from '../backends/voice-backend';
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

export interface Microphone {
  /** Opens the device (idempotent). Rejects with a UserFacingError naming the problem. */
  open(): Promise<void>;
  /** Closes the device (idempotent); the OS mic indicator goes off. */
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** 24 kHz mono PCM16, in the order captured, with nothing dropped while open. */
  onFrames(listener: MicFramesListener): Unsubscribe;
  /** The device failed or vanished while open. */
  onError(listener: (error: UserFacingError) => void): Unsubscribe;
  dispose(): Promise<void>;
}

export interface Speaker {
  /** Opens the device (idempotent), ready to play at once. */
  open(): Promise<void>;
  readonly isOpen: boolean;
  /** Queues 24 kHz mono PCM16 for an assistant item; plays as it streams. */
  play(itemId: string, pcm: Int16Array): void;
  /** Stops within one device buffer and drops what is queued. Returns what was heard of the item playing, or null when nothing had played. */
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
