import { BACKEND_SAMPLE_RATE } from './pcm-format';
import { describeError, toUserFacingError, type UserFacingError } from '../user-facing-error';
import type { MicFramesListener, Microphone, RecentAudio, Unsubscribe } from './mic-and-speaker';
import { findAudioDevice, realNaudiodon, type Naudiodon } from './audio-devices';
import { CaptureBacklog } from './capture-backlog';
import { DeviceStream } from './device-stream';
import { micFailed, micOpenFailed, micSendsNoSound, micStoppedSending } from './mic-errors';
import { ListenerSet } from './listener-set';
import { DEFAULT_PERIOD_MS, FILTER_PRIMING_MS, FIRST_AUDIO_TIMEOUT_MS, LOSS_AFTER_MS, MAX_QUEUE_MS } from './mic-timing';
import { PcmResampler } from './pcm-resampler';
import { concat } from './speex-resampler';
import { SerialSteps } from '../../shared/serial-steps';

export interface NaudiodonMicrophoneOptions {
  /** A device name from the device list, or null for the system default. */
  deviceName: string | null;
  log: (message: string) => void;
  naudiodon?: Naudiodon;
  /** Frames per read. Smaller means fresher audio and more wake-ups (CPU); see DEFAULT_PERIOD_MS. */
  periodMs?: number;
  /** Raw audio kept while not listening, handed out (resampled) by `takeRecent`. */
  backlogMs?: number;
  /** No audio for this long means the device has gone (a mic never pauses); then closed after `closeAfterMs`. */
  lossAfterMs?: number;
  closeAfterMs?: number;
}

/**
 * The microphone through naudiodon (PortAudio): opened at the device's own rate (some devices
 * give no data at 24 kHz), mono PCM16, always drained. While nobody listens, frames only go
 * into a raw backlog; `takeRecent` resamples the end of it to 24 kHz at key-down, and while
 * listening every live frame is resampled, so a warm idle mic costs little more than naudiodon's reads.
 */
export class NaudiodonMicrophone implements Microphone {
  private readonly naudiodon: Naudiodon;
  /** The device buffer period in use, for latency budgets ("within two periods"). */
  readonly periodMs: number;
  private readonly backlogMs: number;
  private readonly lossAfterMs: number;
  private readonly closeAfterMs: number;
  private readonly frameListeners = new ListenerSet<Parameters<MicFramesListener>>();
  private readonly errorListeners = new ListenerSet<[UserFacingError]>();
  private stream: DeviceStream | null = null;
  private resampler: PcmResampler | null = null;
  private backlog = new CaptureBacklog(0);
  private listening = false;
  private lostBecause: UserFacingError | null = null;
  private readonly openAndClose = new SerialSteps();
  private disposed = false;

  constructor(private readonly options: NaudiodonMicrophoneOptions) {
    this.naudiodon = options.naudiodon ?? realNaudiodon;
    this.periodMs = options.periodMs ?? DEFAULT_PERIOD_MS;
    this.backlogMs = options.backlogMs ?? 1000;
    this.lossAfterMs = options.lossAfterMs ?? Math.max(LOSS_AFTER_MS, 5 * this.periodMs);
    this.closeAfterMs = Math.max(this.lossAfterMs, options.closeAfterMs ?? 3000);
  }

  get isOpen(): boolean {
    return this.stream !== null;
  }

  get unavailable(): UserFacingError | null {
    return this.lostBecause;
  }

  open(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('NaudiodonMicrophone used after dispose()'));
    return this.openAndClose.run(() => this.openNow());
  }

  close(): Promise<void> {
    return this.openAndClose.run(() => this.closeNow());
  }

  get isListening(): boolean {
    return this.listening;
  }

  takeRecent(ms: number): RecentAudio {
    const capturedAt = this.backlog.newestCapturedAt;
    const resampler = this.resampler;
    const none = { pcm: new Int16Array(0), capturedAt };
    if (this.disposed || this.listening || resampler === null || this.backlog.length === 0) return none;
    // A quiet device (a loss is reported, or about to be): the backlog is not the moment before this call.
    if (this.lostBecause !== null || performance.now() - capturedAt > this.lossAfterMs / 2) {
      this.backlog.clear();
      return none;
    }
    // A little more than asked goes through the filter, so its start-up is not in what is handed out.
    const wanted = Math.round((ms * BACKEND_SAMPLE_RATE) / 1000);
    const pieces = this.backlog.pieces(Math.round(((ms + FILTER_PRIMING_MS) * resampler.fromRate) / 1000));
    const resampled = concat(pieces.map((piece) => resampler.process(piece)));
    this.backlog.clear();
    return { pcm: resampled.subarray(Math.max(0, resampled.length - wanted)), capturedAt };
  }

  setListening(active: boolean): void {
    if (this.disposed || active === this.listening) return;
    this.listening = active;
    // Whatever the backlog and the filter hold belongs to audio nobody asked for: the next activation starts clean.
    // (After takeRecent() the filter holds the moment before this call, and live frames go on from it.)
    this.backlog.clear();
    if (!active) this.resampler?.reset();
  }

  onFrames(listener: MicFramesListener): Unsubscribe {
    return this.frameListeners.add(listener);
  }

  onError(listener: (error: UserFacingError) => void): Unsubscribe {
    return this.errorListeners.add(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.openAndClose.run(() => this.closeNow());
    this.resampler?.dispose();
    this.resampler = null;
    this.frameListeners.clear();
    this.errorListeners.clear();
  }

  private async openNow(): Promise<void> {
    if (this.stream !== null) return;
    const { deviceName, log } = this.options;
    const device = await findAudioDevice('input', deviceName, this.naudiodon);
    const previous = this.resampler;
    this.resampler = null;
    this.resampler = await PcmResampler.warmFor(previous, device.sampleRate, BACKEND_SAMPLE_RATE);
    const backlogSamples = Math.round((device.sampleRate * this.backlogMs) / 1000);
    if (this.backlog.capacity !== backlogSamples) this.backlog = new CaptureBacklog(backlogSamples);
    let stream: DeviceStream;
    try {
      stream = await DeviceStream.open({
        naudiodon: this.naudiodon,
        device,
        direction: 'input',
        periodMs: this.periodMs,
        maxQueue: Math.ceil(MAX_QUEUE_MS / this.periodMs),
        lossAfterMs: this.lossAfterMs,
        giveUpAfterMs: this.closeAfterMs,
        onData: (chunk, capturedAt) => this.onAudio(stream, chunk, capturedAt),
        onLost: () => this.lost(stream),
        onBack: () => this.back(stream),
        onFailure: (error) => this.fail(stream, error),
      });
    } catch (error) {
      throw micOpenFailed(deviceName ?? device.name, error);
    }
    this.stream = stream;
    log(`microphone: opened "${device.name}" at ${device.sampleRate} Hz, ${stream.frames} frames per period`);
    if (!(await stream.started(FIRST_AUDIO_TIMEOUT_MS))) {
      await this.closeNow();
      throw micSendsNoSound(deviceName ?? device.name);
    }
    this.lostBecause = null;
  }

  private async closeNow(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    // Audio from before a close is not the moment before the next key press.
    this.backlog.clear();
    await stream.close();
    // Release what the filter held back, so the last few samples before close are not lost.
    const tail = this.listening ? this.resampler?.flush() : undefined;
    if (tail !== undefined && tail.length > 0) this.emitFrames(tail, performance.now());
    this.options.log('microphone: closed');
  }

  /** Runs inside a stream callback: what it throws fails the stream (DeviceStream). */
  private onAudio(stream: DeviceStream, chunk: Buffer, capturedAt: number): void {
    if (stream !== this.stream || this.resampler === null) return;
    if (!this.listening) {
      this.backlog.pushBytes(chunk, capturedAt);
      return;
    }
    const samples = Math.floor(chunk.byteLength / 2);
    // naudiodon hands over a fresh copy per read; an odd offset would only come from a pooled Buffer.
    const pcm =
      chunk.byteOffset % 2 === 0
        ? new Int16Array(chunk.buffer, chunk.byteOffset, samples)
        : new Int16Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + samples * 2));
    const resampled = this.resampler.process(pcm);
    if (resampled.length > 0) this.emitFrames(resampled, capturedAt);
  }

  private emitFrames(pcm: Int16Array, capturedAt: number): void {
    this.frameListeners.emit([pcm, capturedAt], (error) => this.options.log(`microphone: a frames listener threw: ${describeError(error)}`));
  }

  /** Kept open a while: the device may come back, or the sound server move the stream to another. */
  private lost(stream: DeviceStream): void {
    if (stream !== this.stream) return;
    this.options.log(`microphone: no audio for ${this.lossAfterMs} ms; the device has gone`);
    this.report(micStoppedSending(this.options.deviceName));
  }

  private back(stream: DeviceStream): void {
    if (stream !== this.stream) return;
    this.options.log('microphone: sound is back');
    this.lostBecause = null;
  }

  private fail(stream: DeviceStream, error: unknown): void {
    try {
      if (stream !== this.stream) return;
      this.options.log(`microphone: failed: ${describeError(error)}`);
      void this.close().catch((closeError: unknown) => this.options.log(`microphone: close after failure: ${describeError(closeError)}`));
      // A loss already reported is not reported again when the stream is given up.
      if (this.lostBecause === null) this.report(micFailed(this.options.deviceName, error));
    } catch (unexpected) {
      this.options.log(`microphone: ${toUserFacingError(unexpected).message}`);
    }
  }

  /** Nothing held from before the loss may reach a turn: the next key press would send it as if just heard. */
  private report(error: UserFacingError): void {
    this.lostBecause = error;
    this.backlog.clear();
    this.errorListeners.emit([error], (listenerError) => this.options.log(`microphone: an error listener threw: ${describeError(listenerError)}`));
  }
}
