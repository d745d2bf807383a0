/**
 * Cuts the continuous microphone stream into push-to-talk turns without clipping words.
 *
 * On key-down the last `preRollMs` before it go out first (the mic keeps that audio in its
 * backlog and hands it over to `begin`): opening a device or reaching for the key takes
 * longer than people wait before speaking. After
 * key-up the recorder keeps forwarding until the speech has ended (the audio since key-up has
 * gone quiet, see TrailingSilence), or at most `postRollMs` more of audio has been captured,
 * counted in samples rather than by a timer, so the tail is exact whatever the device's
 * buffer size. A fallback timer finishes the turn if the device stops delivering.
 */
import type { RecentAudio } from '../audio/mic-and-speaker';
import { timerAfterIo, type TimerHandle } from '../timer-after-io';
import { CaptureClock } from './capture-clock';
import { TrailingSilence } from './trailing-silence';

/**
 * Quiet this long at key-up means the speech is over. Shorter than most pauses between
 * sentences, longer than the gaps inside a word; and the key-up itself says the user is done.
 */
export const SPEECH_END_QUIET_MS = 120;

/** Largest piece handed to `onAudio`: the Realtime API wants appends of 20–100 ms. */
const MAX_CHUNK_MS = 100;

/** Beyond this, the mic is not lagging but failing; the fallback timer ends the turn. */
const MAX_CAPTURE_LAG_MS = 1000;

export interface TurnRecorderOptions {
  sampleRate: number;
  preRollMs: number;
  postRollMs: number;
  onAudio: (pcm: Int16Array, capturedAt: number) => void;
  setTimer?: (callback: () => void, ms: number) => TimerHandle;
}

/** What `end`'s `onDone` learns of the finished turn. */
export interface FinishedTurn {
  /** Whether the mic delivered any frame after the last key-down: without, only stale pre-roll went out. */
  liveAudio: boolean;
  /** All the audio handed to `onAudio` in this turn, pre- and post-roll included. */
  samples: number;
}

interface TailPhase {
  kind: 'tail';
  remaining: number;
  /** The tail may end early only once the audio reaches the key-up (`capturedAt` clock). */
  releasedAt: number;
  onDone: (turn: FinishedTurn) => void;
  fallback: TimerHandle;
}
type Phase = { kind: 'idle' } | { kind: 'recording' } | TailPhase;

export class TurnRecorder {
  private phase: Phase = { kind: 'idle' };
  private readonly clock: CaptureClock;
  private readonly silence: TrailingSilence;
  /** Frames since the last key-down, and samples handed on since the turn began. */
  private liveFrames = 0;
  private turnSamples = 0;

  constructor(private options: TurnRecorderOptions) {
    this.silence = new TrailingSilence({ sampleRate: options.sampleRate });
    this.clock = new CaptureClock(options.sampleRate);
  }

  get isRecording(): boolean {
    return this.phase.kind !== 'idle';
  }

  /** Takes effect from the next turn; a turn in progress keeps the lengths it started with. */
  setRoll(preRollMs: number, postRollMs: number): void {
    this.options = { ...this.options, preRollMs, postRollMs };
  }

  /** Feed every captured frame here; outside a turn it only informs the silence detector. */
  pushFrames(pcm: Int16Array, capturedAt: number): void {
    this.silence.push(pcm);
    this.clock.push(pcm.length, capturedAt);
    const phase = this.phase;
    if (phase.kind === 'idle') return;
    // Counted before the tail can end: this frame may be the one that ends it.
    this.liveFrames += 1;
    if (phase.kind === 'recording') {
      this.emit(pcm, capturedAt);
      return;
    }
    const take = Math.min(phase.remaining, pcm.length);
    if (take > 0) this.emit(pcm.subarray(0, take), capturedAt);
    phase.remaining -= take;
    // The rest of this frame belongs to the time after the turn.
    if (phase.remaining <= 0 || this.speechHasEnded(phase)) this.finishTail(phase);
  }

  /**
   * Key-down, with the audio the mic captured before it. Its last `preRollMs` go out first; all
   * of it tells the silence detector how quiet the room is. A press during the tail simply
   * carries the turn on.
   */
  begin(before: RecentAudio | null = null): void {
    this.liveFrames = 0;
    if (this.phase.kind === 'tail') {
      this.phase.fallback.cancel();
      this.phase = { kind: 'recording' };
      return;
    }
    if (this.phase.kind === 'recording') return;
    this.silence.resetRun();
    // The mic delivered nothing since the last turn: what it hands over now starts a new stream.
    this.clock.reset();
    this.phase = { kind: 'recording' };
    this.turnSamples = 0;
    if (!before || before.pcm.length === 0) return;
    this.silence.push(before.pcm);
    this.clock.push(before.pcm.length, before.capturedAt);
    const preRoll = before.pcm.subarray(Math.max(0, before.pcm.length - this.samplesFor(this.options.preRollMs)));
    if (preRoll.length > 0) this.emit(preRoll, before.capturedAt);
  }

  /**
   * Key-up. `onDone` runs once the tail has been captured (or at once without a tail).
   * `releasedAt` is when the key came up, on the `capturedAt` clock; without it the tail
   * always runs its full length.
   */
  end(onDone: (turn: FinishedTurn) => void, releasedAt = Number.POSITIVE_INFINITY): void {
    if (this.phase.kind !== 'recording') return;
    const remaining = this.samplesFor(this.tailMs(releasedAt));
    if (remaining === 0) {
      this.phase = { kind: 'idle' };
      onDone(this.finished());
      return;
    }
    const setTimer = this.options.setTimer ?? defaultTimer;
    const phase: TailPhase = {
      kind: 'tail',
      remaining,
      releasedAt,
      onDone,
      // Generous: the device normally delivers the tail long before this fires.
      fallback: setTimer(() => {
        if (this.phase === phase) this.finishTail(phase);
      }, this.tailMs(releasedAt) + 750),
    };
    this.phase = phase;
    // Usually the speech ended before the key came up: then nothing is left to wait for.
    if (this.speechHasEnded(phase)) this.finishTail(phase);
  }

  /** Drops a turn in progress without calling its `onDone` (a cancelled or refused turn, dispose). */
  cancel(): void {
    if (this.phase.kind === 'tail') this.phase.fallback.cancel();
    this.phase = { kind: 'idle' };
  }

  dispose(): void {
    this.cancel();
  }

  /**
   * The post-roll runs to `postRollMs` after the key-up in the audio's own time, not after
   * whatever audio happens to be in: that may lag the key-up (a stalled process, a device's
   * buffering), and the tail would then end before the last words had come in.
   */
  private tailMs(releasedAt: number): number {
    const postRollMs = this.options.postRollMs;
    if (postRollMs === 0 || !Number.isFinite(releasedAt)) return postRollMs;
    const toGo = releasedAt + postRollMs - this.clock.newestAt;
    return Math.min(postRollMs + MAX_CAPTURE_LAG_MS, Math.max(0, toGo));
  }

  private speechHasEnded(phase: TailPhase): boolean {
    return this.clock.newestAt >= phase.releasedAt && this.silence.quietMs >= SPEECH_END_QUIET_MS;
  }

  private finishTail(phase: TailPhase): void {
    phase.fallback.cancel();
    this.phase = { kind: 'idle' };
    phase.onDone(this.finished());
  }

  private finished(): FinishedTurn {
    return { liveAudio: this.liveFrames > 0, samples: this.turnSamples };
  }

  private emit(pcm: Int16Array, capturedAt: number): void {
    const maxChunk = this.samplesFor(MAX_CHUNK_MS);
    for (let offset = 0; offset < pcm.length; offset += maxChunk) {
      const piece = pcm.subarray(offset, Math.min(pcm.length, offset + maxChunk));
      this.turnSamples += piece.length;
      // Copy: the caller may reuse its frame buffer, and backends keep what they are given.
      this.options.onAudio(piece.slice(), capturedAt);
    }
  }

  private samplesFor(ms: number): number {
    return Math.round((this.options.sampleRate * ms) / 1000);
  }
}

/** The fallback must not beat tail audio that arrived during a stall (see timerAfterIo). */
function defaultTimer(callback: () => void, ms: number): TimerHandle {
  return timerAfterIo(callback, ms);
}
