import { BACKEND_SAMPLE_RATE, type HeardAudio } from './pcm-format';
import { describeError, UserFacingError } from '../user-facing-error';
import type { Speaker, Unsubscribe } from './mic-and-speaker';
import { findAudioDevice, realNaudiodon, type Naudiodon } from './audio-devices';
import { ListenerSet } from './listener-set';
import { OutputDeviceStream } from './output-device-stream';
import { PcmResampler } from './pcm-resampler';
import { PlaybackQueue } from './playback-queue';
import { DEFAULT_PERIOD_MS, MAX_PERIOD_MS } from './speaker-periods';
import { SerialSteps } from '../../shared/serial-steps';
import { speakerDoesNotPlay, speakerOpenFailed, speakerStoppedWorking } from './speaker-errors';

export interface NaudiodonSpeakerOptions {
  /** A device name from the device list, or null for the system default. */
  deviceName: string | null;
  log: (message: string) => void;
  naudiodon?: Naudiodon;
  /**
   * Frames per write and per device period. See speaker-periods.ts. When set, it is kept; by
   * default the period starts short and doubles (up to MAX_PERIOD_MS) if the device cannot keep up.
   */
  periodMs?: number;
  /** Close the device after it has had nothing to play for this long (Infinity: never). */
  idleCloseMs?: number;
  /** A write not accepted for this long means the device has gone. */
  stallTimeoutMs?: number;
}

const FIRST_WRITES_TIMEOUT_MS = 8000;
/**
 * The speaker through naudiodon: opened at the device's own rate and kept fed (silence when idle,
 * see speaker-periods.ts), one short period per write and the next only once naudiodon has taken
 * the previous one, so little is ever committed ahead of the listener: stop() is heard within a
 * few periods and a reply queues behind as little silence. Feeding silence costs CPU, so after
 * `idleCloseMs` with nothing to play the stream closes; play() reopens it, holding the audio
 * meanwhile, and open() (made at key-up) has it ready before a reply. Audio is handed over only
 * while the device keeps real time (OutputDeviceStream), so a fresh stream's underrun storm delays
 * it instead of swallowing it. PlaybackQueue counts what was handed to naudiodon, which plays out:
 * that is what stop() reports as heard, to the sample (but for the few periods handed out just
 * before a storm is noticed, which the storm swallows).
 */
export class NaudiodonSpeaker implements Speaker {
  private readonly naudiodon: Naudiodon;
  private period: number;
  private readonly maxPeriodMs: number;
  private readonly stallTimeoutMs: number;
  private readonly idleCloseMs: number;
  private readonly startedListeners = new ListenerSet<[string, number]>();
  private readonly drainedListeners = new ListenerSet<[]>();
  private readonly errorListeners = new ListenerSet<[UserFacingError]>();
  private readonly queue = new PlaybackQueue();
  private stream: OutputDeviceStream | null = null;
  private resampler: PcmResampler | null = null;
  /** Silent writes since the last audio; -1 once drained (or stopped), so onDrained fires once. */
  private silentWrites = -1;
  private idleTimer: NodeJS.Timeout | null = null;
  private reopening = false;
  /** Streams still finishing their quit; see closeStream. */
  private closing: Promise<void> | null = null;
  private readonly openAndClose = new SerialSteps();
  private disposed = false;

  constructor(private readonly options: NaudiodonSpeakerOptions) {
    this.naudiodon = options.naudiodon ?? realNaudiodon;
    this.period = options.periodMs ?? DEFAULT_PERIOD_MS;
    this.maxPeriodMs = options.periodMs ?? MAX_PERIOD_MS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 3000;
    this.idleCloseMs = options.idleCloseMs ?? 4000;
  }

  /** The device buffer period in use, for latency budgets ("within two periods"). */
  get periodMs(): number {
    return this.period;
  }

  get isOpen(): boolean {
    return this.stream !== null;
  }

  get isPlaying(): boolean {
    return this.queue.hasAudio;
  }

  open(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('NaudiodonSpeaker used after dispose()'));
    return this.openAndClose.run(async () => {
      await this.openNow();
      this.scheduleIdleClose();
    });
  }

  play(itemId: string, pcm: Int16Array): void {
    if (this.disposed || pcm.length === 0) return;
    this.cancelIdleClose();
    this.queue.push(itemId, pcm);
    if (this.stream === null) this.reopen();
  }

  stop(): HeardAudio | null {
    const heard = this.queue.stop();
    // No drained event for stopped audio.
    this.silentWrites = -1;
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
    await this.openAndClose.idle();
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
    const device = await findAudioDevice('output', deviceName, this.naudiodon);
    const previous = this.resampler;
    this.resampler = null;
    this.resampler = await PcmResampler.warmFor(previous, BACKEND_SAMPLE_RATE, device.sampleRate);
    this.queue.useDevice(this.resampler, device.sampleRate);
    const name = deviceName ?? device.name;
    let stream: OutputDeviceStream;
    try {
      stream = await OutputDeviceStream.open({
        naudiodon: this.naudiodon,
        device,
        periodMs: this.period,
        stallTimeoutMs: this.stallTimeoutMs,
        fill: (chunk) => this.fill(chunk),
        onFailure: (failed, error) => this.fail(failed, error),
        onLostPace: (slow) => this.lengthenPeriod(slow),
      });
    } catch (error) {
      throw speakerOpenFailed(name, error);
    }
    this.stream = stream;
    log(`speaker: opened "${device.name}" at ${device.sampleRate} Hz, ${stream.frames} frames per period`);
    if (!(await stream.playing(FIRST_WRITES_TIMEOUT_MS)) || this.stream !== stream) {
      await this.closeStream();
      throw speakerDoesNotPlay(name);
    }
  }

  /** The next period for the device: queued audio, silence after it. */
  private fill(chunk: Int16Array): (() => void) | undefined {
    const { filled, started } = this.queue.fill(chunk);
    this.noteDrain(filled > 0);
    if (started === null) return undefined;
    return () => this.startedListeners.emit([started, performance.now()], (e) => this.logListenerError(e));
  }

  private noteDrain(wroteAudio: boolean): void {
    if (wroteAudio) {
      this.silentWrites = 0;
      return;
    }
    if (this.silentWrites < 0) return;
    this.silentWrites++;
    // The second silent write is made once the first is accepted, i.e. once the last audio has
    // left naudiodon's queue (maxQueue 1) for the device.
    if (this.silentWrites < 2) return;
    this.silentWrites = -1;
    this.scheduleIdleClose();
    this.drainedListeners.emit([], (e) => this.logListenerError(e));
  }

  /** Reopens the device for audio that arrived while it was closed. */
  private reopen(): void {
    if (this.reopening || this.disposed) return;
    this.reopening = true;
    this.open()
      .catch((error: unknown) => {
        this.queue.stop();
        const userError = error instanceof UserFacingError ? error : speakerStoppedWorking(this.options.deviceName, error);
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
      // Not waiting for the close: PortAudio's stop drains for a while, and a reply arriving
      // meanwhile must reopen at once.
      void this.openAndClose.run(async () => {
        if (!this.queue.hasAudio && this.silentWrites < 0) void this.closeStream();
      });
    }, Math.max(0, this.idleCloseMs));
    this.idleTimer.unref();
  }

  private cancelIdleClose(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private fail(stream: OutputDeviceStream, error: unknown): void {
    if (stream !== this.stream) return;
    this.options.log(`speaker: failed: ${describeError(error)}`);
    const userError = speakerStoppedWorking(this.options.deviceName, error);
    this.stop();
    void this.closeStream();
    this.errorListeners.emit([userError], (e) => this.logListenerError(e));
  }

  /**
   * The device cannot keep real time at this period: reopen it at twice the period. The queue
   * keeps what it holds; what the storm swallowed of the last periods handed out is gone.
   */
  private lengthenPeriod(slow: OutputDeviceStream): void {
    if (slow !== this.stream || this.disposed) return;
    const longer = this.period * 2;
    if (longer > this.maxPeriodMs) {
      this.options.log(`speaker: the device cannot keep up at ${this.period} ms periods (underrun storm)`);
      return;
    }
    this.options.log(`speaker: the device cannot keep up at ${this.period} ms periods (underrun storm); reopening it at ${longer} ms`);
    this.period = longer;
    void this.closeStream();
    this.reopen();
  }

  private closeStream(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return this.closing ?? Promise.resolve();
    this.stream = null;
    this.silentWrites = -1;
    this.cancelIdleClose();
    const quit = stream.close().then(() => this.options.log('speaker: closed'));
    // Settles once every stream closed so far is closed.
    const closing = (this.closing ?? Promise.resolve()).then(() => quit);
    this.closing = closing;
    void closing.then(() => {
      if (this.closing === closing) this.closing = null;
    });
    return closing;
  }

  private logListenerError(error: unknown): void {
    this.options.log(`speaker: a listener threw: ${describeError(error)}`);
  }
}
