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
  /** Frames per write. stop() is heard within about three of these plus the device's own latency. */
  periodMs?: number;
  /** No write accepted for this long means the device has gone. */
  stallTimeoutMs?: number;
}

const FIRST_WRITES_TIMEOUT_MS = 8000;

interface Segment {
  itemId: string;
  pcm: Int16Array; // at the device rate
  offset: number;
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
 * idle, since naudiodon's output callback blocks on an empty queue). A pump writes one period
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
  private readonly periodMs: number;
  private readonly stallTimeoutMs: number;
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
  private pending: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: NaudiodonSpeakerOptions) {
    this.naudiodon = options.naudiodon ?? realNaudiodon;
    this.periodMs = options.periodMs ?? 20;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 3000;
  }

  get isOpen(): boolean {
    return this.stream !== null;
  }

  get isPlaying(): boolean {
    return this.queue.length > 0 || this.resamplerHoldsAudio;
  }

  open(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('NaudiodonSpeaker used after dispose()'));
    const run = this.pending.then(() => this.openNow());
    this.pending = run.catch(() => undefined);
    return run;
  }

  play(itemId: string, pcm: Int16Array): void {
    const resampler = this.resampler;
    if (resampler === null || this.stream === null || pcm.length === 0) return;
    if (this.lastQueuedItem !== null && this.lastQueuedItem !== itemId) this.releaseHeldBack();
    const converted = resampler.process(pcm);
    this.resamplerHoldsAudio = true;
    this.lastQueuedItem = itemId;
    this.queuedPerItem.set(itemId, (this.queuedPerItem.get(itemId) ?? 0) + pcm.length);
    if (converted.length > 0) this.queue.push({ itemId, pcm: converted, offset: 0 });
  }

  stop(): HeardAudio | null {
    const playing = this.playing;
    const nextIsAnotherItem = this.queue.length > 0 && this.queue[0].itemId !== playing?.itemId;
    const heard =
      playing !== null && playing.handed > 0 && !nextIsAnotherItem
        ? {
            itemId: playing.itemId,
            audioEndMs: Math.min(Math.floor((playing.handed * 1000) / this.deviceRate), Math.floor((playing.queued * 1000) / BACKEND_SAMPLE_RATE)),
          }
        : null;
    this.queue = [];
    this.queuedPerItem.clear();
    this.lastQueuedItem = null;
    this.playing = null;
    this.silentWrites = -1;
    if (this.resamplerHoldsAudio) this.resampler?.flush();
    this.resamplerHoldsAudio = false;
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
      this.resampler = await PcmResampler.create(BACKEND_SAMPLE_RATE, device.sampleRate);
    }
    this.deviceRate = device.sampleRate;
    const frames = Math.round((device.sampleRate * this.periodMs) / 1000);
    // Two chunks in turn; naudiodon copies a chunk when it is written, so they are reused forever.
    this.chunkBuffers = [Buffer.alloc(frames * 2), Buffer.alloc(frames * 2)];
    this.chunks = this.chunkBuffers.map((buffer) => new Int16Array(buffer.buffer, buffer.byteOffset, frames));
    let stream: IoStreamWrite;
    try {
      stream = this.naudiodon.AudioIO({
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
      stream.on('error', (error: unknown) => this.fail(stream, error));
      stream.start();
    } catch (error) {
      throw new UserFacingError(
        'speaker-unavailable',
        `Parley could not open the speaker "${deviceName ?? device.name}" (${describe(error)}). Check that it is connected, or pick another in Settings.`,
        { action: 'open-settings', cause: error },
      );
    }
    this.stream = stream;
    this.writesDone = 0;
    this.lastWriteDoneAt = performance.now();
    log(`speaker: opened "${device.name}" at ${device.sampleRate} Hz, ${frames} frames per period`);
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
    this.drainedListeners.emit([], (e) => this.logListenerError(e));
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
    const name = this.options.deviceName;
    this.options.log(`speaker: failed: ${describe(error)}`);
    const userError = new UserFacingError(
      'speaker-unavailable',
      `The speaker${name === null ? '' : ` "${name}"`} stopped working. Check that it is connected, or pick another in Settings.`,
      { action: 'open-settings', cause: error },
    );
    this.stop();
    void this.closeStream();
    this.errorListeners.emit([userError], (e) => this.logListenerError(e));
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    await quitAudioStream(stream);
    this.options.log('speaker: closed');
  }

  private logListenerError(error: unknown): void {
    this.options.log(`speaker: a listener threw: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
