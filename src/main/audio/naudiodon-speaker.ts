import type { IoStreamWrite } from 'naudiodon';
import { BACKEND_SAMPLE_RATE, type HeardAudio } from '../backends/voice-backend';
import { UserFacingError } from '../user-facing-error';
import type { Speaker, Unsubscribe } from './audio-ports';
import { quitAudioStream, realNaudiodon, resolveAudioDevice, type Naudiodon } from './audio-devices';
import { ListenerSet } from './listener-set';
import { PcmResampler } from './pcm-resampler';

export interface NaudiodonSpeakerOptions {
  /** A device name from the device list, or null for the system default. */
  deviceName: string | null;
  log: (message: string) => void;
  naudiodon?: Naudiodon;
  /** Frames per write. stop() is heard within about three of these plus the device's own latency. See DEFAULT_PERIOD_MS. */
  periodMs?: number;
  /** Close the device after it has had nothing to play for this long (Infinity: never). */
  idleCloseMs?: number;
  /** No write accepted for this long means the device has gone. */
  stallTimeoutMs?: number;
}

const FIRST_WRITES_TIMEOUT_MS = 8000;
/**
 * Measured here with bench/audio-cpu.ts (process.cpuUsage, 10 s windows, % of one core; 44.1 kHz):
 *   period   open, silent   playing   heard after stop() (incl. PulseAudio and parec, ~30 ms)
 *   20 ms    2.7 %          4.9 %     ~95 ms
 *   40 ms    1.2 %          3.7 %     ~190 ms
 * Every write costs about the same (a threadpool hop and a native queue hand-off), so CPU halves
 * with the period, while what still plays after stop() is about three periods plus the device's
 * latency. 40 ms: at 20 ms the writes alone break the 3 % target while playing (the figures
 * above were taken with libsamplerate; the Speex resampler now in use saves about a point), and
 * a barge-in tail of ~0.2 s is still short. Closed after idleCloseMs: ~0 %.
 */
const DEFAULT_PERIOD_MS = 40;

interface Segment {
  itemId: string;
  pcm: Int16Array; // at the device rate
  offset: number;
}

/** Audio given to play() while the device was closed, waiting for it to reopen. */
interface WaitingAudio {
  itemId: string;
  pcm: Int16Array; // 24 kHz
}

interface PlayingItem {
  itemId: string;
  /** Device-rate samples of this item handed to naudiodon. */
  handed: number;
  /** 24 kHz samples of this item given to play(), the ceiling for audioEndMs. */
  queued: number;
}

/**
 * The speaker through naudiodon: opened at the device's own rate and kept fed (silence when
 * idle, since naudiodon's output callback blocks on an empty queue). Feeding silence costs CPU,
 * so after `idleCloseMs` with nothing to play the stream closes; play() reopens it, holding
 * the audio meanwhile, and open() (made at key-down) has it ready before a reply. A pump writes one period
 * at a time and only when naudiodon has taken the previous one, so little is ever committed
 * ahead of the listener and stop() is heard quickly.
 *
 * How exact the played count is: each item's count is the number of its samples handed to
 * naudiodon, counted when the chunk is written. What has been handed cannot be recalled, so
 * after stop() it still plays out: the count is what the listener hears, to the sample, except
 * for the resampler's few held-back samples (under 1 ms) at an item boundary. It runs ahead of
 * the loudspeaker by naudiodon's queue (at most ~3 periods: one blocked write, one queued, one
 * in the audio callback) plus the device latency, which is the delay before it is heard, not
 * an error in the total.
 */
export class NaudiodonSpeaker implements Speaker {
  private readonly naudiodon: Naudiodon;
  /** The device buffer period in use, for latency budgets ("within two periods"). */
  readonly periodMs: number;
  private readonly stallTimeoutMs: number;
  private readonly idleCloseMs: number;
  private readonly startedListeners = new ListenerSet<[string, number]>();
  private readonly drainedListeners = new ListenerSet<[]>();
  private readonly errorListeners = new ListenerSet<[UserFacingError]>();
  private stream: IoStreamWrite | null = null;
  private resampler: PcmResampler | null = null;
  private deviceRate = 0;
  private chunks: Int16Array[] = [];
  private chunkBuffers: Buffer[] = [];
  private nextChunk = 0;
  private queue: Segment[] = [];
  private readonly queuedPerItem = new Map<string, number>();
  private lastQueuedItem: string | null = null;
  private resamplerHoldsAudio = false;
  private playing: PlayingItem | null = null;
  /** Silent writes since the last audio; the last audio has left naudiodon's queue after two. */
  private silentWrites = -1;
  private writesDone = 0;
  private lastWriteDoneAt = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private waitingForDevice: WaitingAudio[] = [];
  private reopening = false;
  /** Streams still finishing their quit; see closeStream. */
  private closing: Promise<void> | null = null;
  private pending: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: NaudiodonSpeakerOptions) {
    this.naudiodon = options.naudiodon ?? realNaudiodon;
    this.periodMs = options.periodMs ?? DEFAULT_PERIOD_MS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 3000;
    this.idleCloseMs = options.idleCloseMs ?? 4000;
  }

  get isOpen(): boolean {
    return this.stream !== null;
  }

  get isPlaying(): boolean {
    return this.queue.length > 0 || this.resamplerHoldsAudio || this.waitingForDevice.length > 0;
  }

  open(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('NaudiodonSpeaker used after dispose()'));
    return this.serialize(async () => {
      await this.openNow();
      this.scheduleIdleClose();
    });
  }

  play(itemId: string, pcm: Int16Array): void {
    if (this.disposed || pcm.length === 0) return;
    this.cancelIdleClose();
    const resampler = this.resampler;
    if (resampler === null || this.stream === null) {
      // Copied: the caller may reuse its buffer before the device is back.
      this.waitingForDevice.push({ itemId, pcm: pcm.slice() });
      this.reopen();
      return;
    }
    this.queueAudio(resampler, itemId, pcm);
  }

  private queueAudio(resampler: PcmResampler, itemId: string, pcm: Int16Array): void {
    if (this.lastQueuedItem !== null && this.lastQueuedItem !== itemId) this.releaseHeldBack();
    const converted = resampler.process(pcm);
    this.resamplerHoldsAudio = true;
    this.lastQueuedItem = itemId;
    this.queuedPerItem.set(itemId, (this.queuedPerItem.get(itemId) ?? 0) + pcm.length);
    if (converted.length > 0) this.queue.push({ itemId, pcm: converted, offset: 0 });
  }

  stop(): HeardAudio | null {
    const playing = this.playing;
    const nextItem = this.queue[0]?.itemId ?? this.waitingForDevice[0]?.itemId;
    const nextIsAnotherItem = nextItem !== undefined && nextItem !== playing?.itemId;
    const heard =
      playing !== null && playing.handed > 0 && !nextIsAnotherItem
        ? {
            itemId: playing.itemId,
            audioEndMs: Math.min(Math.floor((playing.handed * 1000) / this.deviceRate), Math.floor((playing.queued * 1000) / BACKEND_SAMPLE_RATE)),
          }
        : null;
    this.queue = [];
    this.waitingForDevice = [];
    this.queuedPerItem.clear();
    this.lastQueuedItem = null;
    this.playing = null;
    this.silentWrites = -1;
    if (this.resamplerHoldsAudio) this.resampler?.flush();
    this.resamplerHoldsAudio = false;
    this.scheduleIdleClose();
    return heard;
  }

  onPlaybackStarted(listener: (itemId: string, at: number) => void): Unsubscribe {
    return this.startedListeners.add(listener);
  }

  onDrained(listener: () => void): Unsubscribe {
    return this.drainedListeners.add(listener);
  }

  onError(listener: (error: UserFacingError) => void): Unsubscribe {
    return this.errorListeners.add(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.pending;
    this.stop();
    this.cancelIdleClose();
    await this.closeStream();
    this.resampler?.dispose();
    this.resampler = null;
    this.startedListeners.clear();
    this.drainedListeners.clear();
    this.errorListeners.clear();
  }

  private async openNow(): Promise<void> {
    if (this.stream !== null) return;
    const { deviceName, log } = this.options;
    const device = resolveAudioDevice('output', deviceName, this.naudiodon);
    if (this.resampler?.toRate !== device.sampleRate) {
      this.resampler?.dispose();
      this.resampler = null;
      const resampler = await PcmResampler.create(BACKEND_SAMPLE_RATE, device.sampleRate);
      // Warmed so the first reply's first delta does not wait for V8 to optimise the WASM filter.
      resampler.process(new Int16Array(BACKEND_SAMPLE_RATE / 2));
      resampler.reset();
      this.resampler = resampler;
    }
    this.deviceRate = device.sampleRate;
    const frames = Math.round((device.sampleRate * this.periodMs) / 1000);
    // Two chunks in turn; naudiodon copies a chunk when it is written, so they are reused forever.
    this.chunkBuffers = [Buffer.alloc(frames * 2), Buffer.alloc(frames * 2)];
    this.chunks = this.chunkBuffers.map((buffer) => new Int16Array(buffer.buffer, buffer.byteOffset, frames));
    const createStream = (): IoStreamWrite => {
      // Every open naudiodon stream keeps one libuv threadpool thread blocked in a native write
      // (and a closing one blocks another for its quit). With the default pool of 4, mic +
      // speaker leave little for fs, dns and crypto: the process should raise UV_THREADPOOL_SIZE
      // (set before Node starts the pool, i.e. at process start).
      const created = this.naudiodon.AudioIO({
        outOptions: {
          deviceId: device.id,
          sampleRate: device.sampleRate,
          channelCount: 1,
          sampleFormat: 16,
          framesPerBuffer: frames,
          highwaterMark: frames * 2,
          // One chunk waiting natively: enough to never starve the callback, little to take back.
          maxQueue: 1,
          closeOnError: false,
        },
      });
      created.on('error', (error: unknown) => this.fail(created, error));
      created.start();
      return created;
    };
    let stream: IoStreamWrite;
    try {
      stream = createStream();
    } catch (firstError) {
      // A device that allows one stream at a time is free only once the previous close is done.
      if (this.closing === null) throw this.openFailed(deviceName ?? device.name, firstError);
      await this.closing;
      try {
        stream = createStream();
      } catch (error) {
        throw this.openFailed(deviceName ?? device.name, error);
      }
    }
    this.stream = stream;
    this.writesDone = 0;
    this.lastWriteDoneAt = performance.now();
    log(`speaker: opened "${device.name}" at ${device.sampleRate} Hz, ${frames} frames per period`);
    const resampler = this.resampler;
    for (const waiting of this.waitingForDevice.splice(0)) this.queueAudio(resampler, waiting.itemId, waiting.pcm);
    this.pump(stream);
    // The second write is accepted only once the device has taken the first: then sound flows.
    const deadline = performance.now() + FIRST_WRITES_TIMEOUT_MS;
    while (this.stream === stream && this.writesDone < 2 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (this.stream !== stream || this.writesDone < 2) {
      await this.closeStream();
      throw new UserFacingError(
        'speaker-unavailable',
        `The speaker "${deviceName ?? device.name}" opened but does not play. Check that it is connected, or pick another in Settings.`,
        { action: 'open-settings' },
      );
    }
    this.watchdog = setInterval(() => this.checkStillPlaying(stream), Math.min(1000, this.stallTimeoutMs));
    this.watchdog.unref();
  }

  /** Writes the next period, then again as soon as naudiodon accepts it. */
  private pump(stream: IoStreamWrite): void {
    if (stream !== this.stream) return;
    try {
      const chunk = this.chunks[this.nextChunk];
      const buffer = this.chunkBuffers[this.nextChunk];
      this.nextChunk ^= 1;
      const started = this.fill(chunk);
      stream.write(buffer, (error?: Error | null) => this.afterWrite(stream, error));
      const at = performance.now();
      if (started !== null) this.startedListeners.emit([started, at], (e) => this.logListenerError(e));
    } catch (error) {
      this.fail(stream, error);
    }
  }

  private afterWrite(stream: IoStreamWrite, error: Error | null | undefined): void {
    if (stream !== this.stream) return;
    if (error) {
      this.fail(stream, error);
      return;
    }
    this.writesDone++;
    this.lastWriteDoneAt = performance.now();
    this.pump(stream);
  }

  /** Fills one period from the queue, silence after it; returns an item whose first sample is in it. */
  private fill(chunk: Int16Array): string | null {
    let filled = 0;
    let started: string | null = null;
    while (filled < chunk.length) {
      if (this.queue.length === 0 && this.resamplerHoldsAudio) this.releaseHeldBack();
      const segment = this.queue[0];
      if (segment === undefined) break;
      if (this.playing?.itemId !== segment.itemId) {
        this.playing = { itemId: segment.itemId, handed: 0, queued: 0 };
        started = segment.itemId;
      }
      const take = Math.min(chunk.length - filled, segment.pcm.length - segment.offset);
      chunk.set(segment.pcm.subarray(segment.offset, segment.offset + take), filled);
      filled += take;
      segment.offset += take;
      this.playing.handed += take;
      this.playing.queued = this.queuedPerItem.get(segment.itemId) ?? 0;
      if (segment.offset === segment.pcm.length) this.queue.shift();
    }
    if (filled < chunk.length) chunk.fill(0, filled);
    this.noteDrain(filled > 0);
    return started;
  }

  private noteDrain(wroteAudio: boolean): void {
    if (wroteAudio) {
      this.silentWrites = 0;
      return;
    }
    if (this.silentWrites < 0) return;
    this.silentWrites++;
    // Two silent writes accepted after the last audio: it has left naudiodon's queue for the device.
    if (this.silentWrites < 2) return;
    this.silentWrites = -1;
    for (const itemId of this.queuedPerItem.keys()) if (itemId !== this.playing?.itemId) this.queuedPerItem.delete(itemId);
    this.scheduleIdleClose();
    this.drainedListeners.emit([], (e) => this.logListenerError(e));
  }

  /** Reopens the device for audio that arrived while it was closed. */
  private reopen(): void {
    if (this.reopening || this.disposed) return;
    this.reopening = true;
    this.open()
      .catch((error: unknown) => {
        this.waitingForDevice = [];
        const userError = error instanceof UserFacingError ? error : this.stoppedWorking(error);
        this.errorListeners.emit([userError], (e) => this.logListenerError(e));
      })
      .finally(() => {
        this.reopening = false;
      });
  }

  private scheduleIdleClose(): void {
    this.cancelIdleClose();
    if (this.stream === null || this.disposed || !Number.isFinite(this.idleCloseMs)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // Not waiting for the close: PortAudio's stop drains for over a second here, and a reply
      // arriving meanwhile must reopen at once.
      void this.serialize(async () => {
        if (this.hasNothingToPlay()) void this.closeStream();
      });
    }, Math.max(0, this.idleCloseMs));
    this.idleTimer.unref();
  }

  private cancelIdleClose(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Nothing queued, nothing held back, and the last audio has left naudiodon's queue. */
  private hasNothingToPlay(): boolean {
    return !this.isPlaying && this.silentWrites < 0;
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    const run = this.pending.then(step);
    this.pending = run.catch(() => undefined);
    return run;
  }

  /** The resampler holds back a few samples of the last item; release them into the queue. */
  private releaseHeldBack(): void {
    const tail = this.resampler?.flush();
    this.resamplerHoldsAudio = false;
    if (tail !== undefined && tail.length > 0 && this.lastQueuedItem !== null) {
      this.queue.push({ itemId: this.lastQueuedItem, pcm: tail, offset: 0 });
    }
  }

  private checkStillPlaying(stream: IoStreamWrite): void {
    if (stream === this.stream && performance.now() - this.lastWriteDoneAt > this.stallTimeoutMs) {
      this.fail(stream, new Error(`the device took no audio for ${this.stallTimeoutMs} ms`));
    }
  }

  private fail(stream: IoStreamWrite, error: unknown): void {
    if (stream !== this.stream) return;
    this.options.log(`speaker: failed: ${describe(error)}`);
    const userError = this.stoppedWorking(error);
    this.stop();
    void this.closeStream();
    this.errorListeners.emit([userError], (e) => this.logListenerError(e));
  }

  private openFailed(name: string, error: unknown): UserFacingError {
    return new UserFacingError(
      'speaker-unavailable',
      `Parley could not open the speaker "${name}" (${describe(error)}). Check that it is connected, or pick another in Settings.`,
      { action: 'open-settings', cause: error },
    );
  }

  private stoppedWorking(error: unknown): UserFacingError {
    const name = this.options.deviceName;
    return new UserFacingError(
      'speaker-unavailable',
      `The speaker${name === null ? '' : ` "${name}"`} stopped working. Check that it is connected, or pick another in Settings.`,
      { action: 'open-settings', cause: error },
    );
  }

  private closeStream(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return this.closing ?? Promise.resolve();
    this.stream = null;
    this.silentWrites = -1;
    this.cancelIdleClose();
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    const quit = quitAudioStream(stream).then(() => this.options.log('speaker: closed'));
    // Settles once every stream closed so far is closed.
    const closing = (this.closing ?? Promise.resolve()).then(() => quit);
    this.closing = closing;
    void closing.then(() => {
      if (this.closing === closing) this.closing = null;
    });
    return closing;
  }

  private logListenerError(error: unknown): void {
    this.options.log(`speaker: a listener threw: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
