/**
 * When the newest captured sample was heard, on the `capturedAt` clock (`performance.now()`).
 *
 * A frame's arrival time is only an upper bound on when its audio was heard: a frame that
 * waited in a busy process, or came in a burst after a stall, arrives late with old audio.
 * Judging "the audio has reached the key-up" by arrival would then end a turn on a pause
 * that was really before the key-up. Samples are continuous, so each one is placed by
 * counting from the frames that arrived soonest. Dropped samples only make the clock run
 * behind, which errs towards waiting for more audio, never towards cutting it short.
 */
export class CaptureClock {
  private samples = 0;
  /** When sample 0 was heard: the earliest any frame so far allows. */
  private origin = Number.POSITIVE_INFINITY;

  constructor(private readonly sampleRate: number) {}

  /** A frame of `count` samples whose newest sample reached us at `arrivedAt`. */
  push(count: number, arrivedAt: number): void {
    this.samples += count;
    this.origin = Math.min(this.origin, arrivedAt - this.msFor(this.samples));
  }

  /** When the newest sample pushed so far was heard; -Infinity before any. */
  get newestAt(): number {
    return this.samples === 0 ? Number.NEGATIVE_INFINITY : this.origin + this.msFor(this.samples);
  }

  /** The stream restarts (the mic stopped delivering between turns): nothing before counts. */
  reset(): void {
    this.samples = 0;
    this.origin = Number.POSITIVE_INFINITY;
  }

  private msFor(samples: number): number {
    return (samples * 1000) / this.sampleRate;
  }
}
