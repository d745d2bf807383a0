import { timerAfterIo } from '../timer-after-io';
import type { Naudiodon, ResolvedAudioDevice } from './audio-devices';
import { DeviceStream } from './device-stream';

export interface OutputDeviceStreamOptions {
  naudiodon: Naudiodon;
  device: ResolvedAudioDevice;
  /** Frames per write and PortAudio's period; see speaker-periods.ts. */
  periodMs: number;
  /** No write accepted for this long means the device has gone. */
  stallTimeoutMs: number;
  /**
   * Fills the next period to write (silence when there is nothing to play). What it returns runs
   * once the chunk is handed to naudiodon, so listeners it calls do not delay the write.
   */
  fill(chunk: Int16Array): (() => void) | void;
  /** A write failed or stalled; called once, after which the stream writes nothing more. */
  onFailure(stream: OutputDeviceStream, error: unknown): void;
  /**
   * The device does not keep real time, more than a blip: not within START_GRACE_MS of opening,
   * or not for LOST_PACE_MS after it had. Called once; the stream goes on (writing silence).
   */
  onLostPace?(stream: OutputDeviceStream): void;
}

/**
 * A fresh stream's storm usually passes within a second (measured 0.2–0.6 s; a few lasted 6 s),
 * and the first stream a process opens is slow to start as well: with 1 s, the first stream after
 * start was judged too slow and the period doubled for good (bench: 20 → 40 ms, barge-in ~177 ms).
 */
const START_GRACE_MS = 3000;
/** Longer than a refill after a stall of ours; a storm that lasts this long tends to last seconds. */
const LOST_PACE_MS = 250;

/**
 * One open output DeviceStream, kept fed one period at a time: the next write is made only
 * once naudiodon has accepted the previous one, and naudiodon holds at most one more (maxQueue 1),
 * so what is committed ahead of the listener stays a few periods deep.
 *
 * Audio is asked for (`fill`) only while the device takes writes at the pace it plays them;
 * until then, and whenever it stops doing so, the stream writes silence and the audio waits.
 * Why: through ALSA's pulse plugin, a PortAudio stream with short periods starts in an underrun
 * storm. Each underrun makes PortAudio re-prepare the PCM, and the plugin answers a prepare by
 * tearing down its PulseAudio stream (dropping what it held) and creating a new one, which
 * underruns again. Measured on the test null sink at 10 ms periods: one new sink input per write
 * (230 for 230 writes, `pactl subscribe`), PortAudio flagging an output underflow on nearly every
 * callback, and writes accepted every 2–4 ms instead of every 10. It lasts from ~0.2 s to several
 * seconds after an open, and can start again after a stall. Audio written meanwhile is lost, or
 * comes out in scraps with gaps: a reply queued while the speaker reopened played "stretched".
 */
export class OutputDeviceStream {
  readonly frames: number;
  private readonly buffers: Buffer[];
  private readonly chunks: Int16Array[];
  private nextChunk = 0;
  private writesDone = 0;
  private readonly pace: WritePace;
  /** Since when the device has not kept real time (from the open, at first); null while it does. */
  private offPaceSince: number | null = performance.now();
  private hasKeptPace = false;
  private lostPaceReported = false;
  private stopped = false;

  /** Opens and starts the stream, and starts writing; rejects with naudiodon's error when it cannot open. */
  static async open(options: OutputDeviceStreamOptions): Promise<OutputDeviceStream> {
    // Nothing is written before the constructor has run, so nothing can fail before `output` is set.
    let output: OutputDeviceStream | null = null;
    const stream = await DeviceStream.open({
      naudiodon: options.naudiodon,
      device: options.device,
      direction: 'output',
      periodMs: options.periodMs,
      // One chunk waiting natively: enough to never starve the callback, little to take back.
      maxQueue: 1,
      lossAfterMs: options.stallTimeoutMs,
      giveUpAfterMs: options.stallTimeoutMs,
      onFailure: (error) => output?.fail(error),
    });
    output = new OutputDeviceStream(options, stream);
    return output;
  }

  private constructor(
    private readonly options: OutputDeviceStreamOptions,
    private readonly stream: DeviceStream,
  ) {
    this.frames = stream.frames;
    this.pace = new WritePace(options.periodMs);
    // Two chunks in turn; naudiodon copies a chunk when it is written, so they are reused forever.
    this.buffers = [Buffer.alloc(this.frames * 2), Buffer.alloc(this.frames * 2)];
    this.chunks = this.buffers.map((buffer) => new Int16Array(buffer.buffer, buffer.byteOffset, this.frames));
    this.pump();
  }

  /**
   * Resolves true once the device has taken the first write (the second is accepted only then),
   * false if that has not happened within `timeoutMs` or the stream failed.
   */
  async playing(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.stopped && this.writesDone < 2 && performance.now() < deadline) {
      // Writes taken during a stall past the deadline still count (see timerAfterIo).
      await new Promise<void>((resolve) => timerAfterIo(resolve, 10));
    }
    return !this.stopped && this.writesDone >= 2;
  }

  /**
   * Stops writing and closes the stream, dropping what the device still holds (Pa_AbortStream):
   * the speaker closes only once drained, or on a failure or dispose. A draining close
   * (Pa_StopStream) takes over a second here, and meanwhile holds a libuv thread and slows the
   * other streams. Gives up waiting on a device that hangs (see quitAudioStream).
   */
  close(): Promise<void> {
    this.stopped = true;
    return this.stream.close();
  }

  private pump(): void {
    if (this.stopped) return;
    try {
      const chunk = this.chunks[this.nextChunk];
      const buffer = this.buffers[this.nextChunk];
      this.nextChunk ^= 1;
      const afterHandOver = this.pace.keepsRealTime ? this.options.fill(chunk) : void chunk.fill(0);
      this.stream.write(buffer, () => this.afterWrite());
      afterHandOver?.();
    } catch (error) {
      this.fail(error);
    }
  }

  private afterWrite(): void {
    if (this.stopped) return;
    this.writesDone++;
    const now = performance.now();
    this.pace.note(now);
    this.watchPace(now);
    if (this.stopped) return;
    this.pump();
  }

  private watchPace(now: number): void {
    if (this.pace.keepsRealTime) {
      this.offPaceSince = null;
      this.hasKeptPace = true;
      return;
    }
    this.offPaceSince ??= now;
    const limit = this.hasKeptPace ? LOST_PACE_MS : START_GRACE_MS;
    if (this.lostPaceReported || now - this.offPaceSince < limit) return;
    this.lostPaceReported = true;
    this.options.onLostPace?.(this);
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.onFailure(this, error);
  }
}

/**
 * Whether a device takes one-period writes at the pace it plays them, judged from when the last
 * few were accepted. A healthy device accepts a write about every period; after a hiccup of ours
 * it takes a few at once to refill its buffer (a few periods deep), which is fine. A device in an
 * underrun storm (see OutputDeviceStream) accepts nearly every write at once, though now and then
 * one late enough that a loose test would call the storm over: so a device is trusted again only
 * once a whole window of writes came about a period apart.
 */
export class WritePace {
  private readonly acceptedAt: number[] = [];
  private keeping = false;

  /**
   * @param window how many recent writes to judge; more than the few a refill takes at once.
   * @param maxQuick how many of their intervals may be under half a period (a refill's) while
   *   the device is trusted; one, to be trusted again.
   */
  constructor(
    private readonly periodMs: number,
    private readonly window = 10,
    private readonly maxQuick = 4,
  ) {}

  /** A write was accepted at `at` (ms, performance.now()). */
  note(at: number): void {
    const times = this.acceptedAt;
    times.push(at);
    if (times.length > this.window) times.shift();
    if (times.length < this.window) return;
    let quick = 0;
    for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < this.periodMs / 2) quick++;
    // A stall followed by a run of quick writes could add up to real time; the count catches that.
    const span = times[times.length - 1] - times[0];
    const realTime = (times.length - 1) * this.periodMs;
    this.keeping = this.keeping ? quick <= this.maxQuick && span >= 0.75 * realTime : quick <= 1 && span >= 0.9 * realTime;
  }

  /** False until a window of writes came about a period apart; then true until they stop doing so. */
  get keepsRealTime(): boolean {
    return this.keeping;
  }
}
