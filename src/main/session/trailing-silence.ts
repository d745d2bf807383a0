/**
 * How long the captured audio has been quiet at its newest sample, judged against the room's
 * own noise floor. The recorder uses it to end a turn's post-roll as soon as the speech has
 * ended, instead of always waiting out the full post-roll: at key-up the user has usually
 * stopped talking already, and every millisecond waited here is added to the answer.
 *
 * A fixed level would not do: a fan or a noisy laptop mic sits 20 dB above a quiet room, so
 * the threshold rides a few dB over the quietest stretches heard in the last seconds.
 */
export interface TrailingSilenceOptions {
  sampleRate: number;
}

/** Analysis window: short enough to find the end of a word to within a few ms. */
const WINDOW_MS = 10;
/** Speech is this far above the floor; room noise rarely swings more than a few dB. */
const ABOVE_FLOOR_DB = 10;
/** Below this, even a floor of digital silence calls a window quiet (a -60 dBFS hiss is not speech). */
const LOWEST_THRESHOLD_DB = -55;
/** Above this, a window is speech however loud the room is. */
const HIGHEST_THRESHOLD_DB = -30;
/** The floor is the quietest window of the last few seconds, in blocks so old ones can expire. */
const FLOOR_BLOCK_MS = 500;
const FLOOR_BLOCKS = 10;

/**
 * Audio from before a turn that the detector is given to learn the room's floor from (the
 * pre-roll alone may be short, or all speech). The mic's backlog holds at least this much.
 */
export const ROOM_CONTEXT_MS = 1000;

export class TrailingSilence {
  private readonly windowSamples: number;
  private readonly windowsPerBlock: number;
  private readonly partial: Int16Array;
  private partialLength = 0;
  private quietWindows = 0;
  /** Quietest window (dBFS) of each recent block; the last entry is the block being filled. */
  private readonly blockMinima: number[] = [Number.POSITIVE_INFINITY];
  private windowsInBlock = 0;

  constructor(options: TrailingSilenceOptions) {
    this.windowSamples = Math.round((options.sampleRate * WINDOW_MS) / 1000);
    this.windowsPerBlock = Math.round(FLOOR_BLOCK_MS / WINDOW_MS);
    this.partial = new Int16Array(this.windowSamples);
  }

  /** Milliseconds of quiet at the end of what has been pushed, in whole windows. */
  get quietMs(): number {
    return this.quietWindows * WINDOW_MS;
  }

  /** The level, in dBFS, under which a window counts as quiet. */
  get thresholdDb(): number {
    const floor = Math.min(...this.blockMinima);
    const threshold = Number.isFinite(floor) ? floor + ABOVE_FLOOR_DB : LOWEST_THRESHOLD_DB;
    return Math.min(HIGHEST_THRESHOLD_DB, Math.max(LOWEST_THRESHOLD_DB, threshold));
  }

  push(pcm: Int16Array): void {
    let offset = 0;
    if (this.partialLength > 0) {
      const take = Math.min(pcm.length, this.windowSamples - this.partialLength);
      this.partial.set(pcm.subarray(0, take), this.partialLength);
      this.partialLength += take;
      offset = take;
      if (this.partialLength < this.windowSamples) return;
      this.addWindow(this.partial);
      this.partialLength = 0;
    }
    for (; offset + this.windowSamples <= pcm.length; offset += this.windowSamples) {
      this.addWindow(pcm.subarray(offset, offset + this.windowSamples));
    }
    const rest = pcm.subarray(offset);
    this.partial.set(rest, 0);
    this.partialLength = rest.length;
  }

  /** A new turn: the quiet run before it says nothing about this one. The floor is kept. */
  resetRun(): void {
    this.quietWindows = 0;
  }

  private addWindow(window: Int16Array): void {
    const db = levelDb(window);
    // Judge against the floor as it was before this window, so speech cannot lift its own bar.
    this.quietWindows = db < this.thresholdDb ? this.quietWindows + 1 : 0;
    const last = this.blockMinima.length - 1;
    this.blockMinima[last] = Math.min(this.blockMinima[last]!, db);
    if (++this.windowsInBlock === this.windowsPerBlock) {
      this.windowsInBlock = 0;
      this.blockMinima.push(Number.POSITIVE_INFINITY);
      if (this.blockMinima.length > FLOOR_BLOCKS) this.blockMinima.shift();
    }
  }
}

function levelDb(window: Int16Array): number {
  let sumOfSquares = 0;
  for (let i = 0; i < window.length; i++) sumOfSquares += window[i]! * window[i]!;
  const rms = Math.sqrt(sumOfSquares / window.length) / 32768;
  return rms > 0 ? 20 * Math.log10(rms) : -120;
}
