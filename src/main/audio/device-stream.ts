import type { IoStreamRead, IoStreamWrite } from 'naudiodon';
import { timerAfterIo } from '../timer-after-io';
import { portAudioIdle, quitAudioStream, type Naudiodon, type ResolvedAudioDevice } from './audio-devices';
import { DeliveryWatch } from './delivery-watch';

export interface DeviceStreamOptions {
  naudiodon: Naudiodon;
  device: ResolvedAudioDevice;
  direction: 'input' | 'output';
  /** Frames per read or write, and PortAudio's period. */
  periodMs: number;
  /** How many chunks naudiodon may hold between JavaScript and the device. */
  maxQueue: number;
  /**
   * No progress (a chunk read, a write taken) for `lossAfterMs` means the device has gone quiet
   * (`onLost`, then `onBack` if it resumes); for `giveUpAfterMs`, the stream fails. Watched from
   * the first progress on: how long a device may take to start is the owner's call (`started`).
   */
  lossAfterMs: number;
  giveUpAfterMs: number;
  onLost?(): void;
  onBack?(): void;
  /** Input only: each chunk read, with `performance.now()` when it reached JavaScript. */
  onData?(chunk: Buffer, capturedAt: number): void;
  /** The stream failed or was given up; called once, after which the stream does nothing more. */
  onFailure(error: unknown): void;
}

/**
 * One open naudiodon (PortAudio) stream, mono PCM16 at the device's own rate, in either
 * direction: the part of a device the microphone and the speaker share. It opens and starts the
 * stream, watches that it keeps moving (a device that is unplugged or removed from the sound
 * server often raises no error: its reads and writes just never complete), fails once, and closes.
 *
 * Every open naudiodon stream keeps one libuv threadpool thread blocked in a native read or write
 * (and a closing one blocks another for its quit). With the default pool of 4, mic + speaker leave
 * little for fs, dns and crypto: the process should raise UV_THREADPOOL_SIZE at start.
 */
export class DeviceStream {
  readonly frames: number;
  private readonly stream: IoStreamRead | IoStreamWrite;
  private readonly watch: DeliveryWatch;
  private progressed = false;
  private readonly progressWaiters = new Set<(progressed: boolean) => void>();
  private stopped = false;

  /** Opens and starts the stream once no other stream is quitting (see portAudioIdle); rejects with naudiodon's error when it cannot. */
  static async open(options: DeviceStreamOptions): Promise<DeviceStream> {
    await portAudioIdle();
    return new DeviceStream(options);
  }

  private constructor(private readonly options: DeviceStreamOptions) {
    const { device, direction, periodMs } = options;
    this.frames = Math.round((device.sampleRate * periodMs) / 1000);
    const portAudioOptions = {
      deviceId: device.id,
      sampleRate: device.sampleRate,
      channelCount: 1,
      sampleFormat: 16 as const,
      framesPerBuffer: this.frames,
      // Reads wait until this many bytes are ready, and writes count as taken at this depth: one period.
      highwaterMark: this.frames * 2,
      maxQueue: options.maxQueue,
      // Over- and underflow flags are logged natively; a device that really fails stops moving, which the watch sees.
      closeOnError: false,
    };
    this.watch = new DeliveryWatch({
      lossAfterMs: options.lossAfterMs,
      giveUpAfterMs: options.giveUpAfterMs,
      onLost: () => options.onLost?.(),
      onBack: () => options.onBack?.(),
      onGiveUp: () => this.fail(new Error(`the device ${direction === 'input' ? 'sent' : 'took'} no audio for ${options.giveUpAfterMs} ms`)),
    });
    if (direction === 'input') {
      const input = options.naudiodon.AudioIO({ inOptions: portAudioOptions });
      input.on('data', (chunk: Buffer) => this.delivered(chunk));
      this.stream = input;
    } else {
      this.stream = options.naudiodon.AudioIO({ outOptions: portAudioOptions });
    }
    this.stream.on('error', (error: unknown) => this.fail(error));
    this.stream.start();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Output only: hands one chunk to naudiodon, which copies it; `taken` runs once naudiodon has
   * queued it for the device (with the error, if the write failed, after which the stream fails).
   */
  write(chunk: Buffer, taken: (error?: Error | null) => void): void {
    (this.stream as IoStreamWrite).write(chunk, (error?: Error | null) => {
      if (this.stopped) return;
      if (error) {
        this.fail(error);
        return;
      }
      this.noteProgress();
      taken();
    });
  }

  /**
   * Resolves true once the stream has moved (a chunk read, a write taken), false if it has not
   * within `timeoutMs`, or it failed or closed first.
   */
  started(timeoutMs: number): Promise<boolean> {
    if (this.progressed || this.stopped) return Promise.resolve(this.progressed && !this.stopped);
    return new Promise((resolve) => {
      const settle = (progressed: boolean): void => {
        timer.cancel();
        this.progressWaiters.delete(settle);
        resolve(progressed);
      };
      // A chunk that arrived during a stall past the timeout still counts (see timerAfterIo).
      const timer = timerAfterIo(() => settle(false), timeoutMs);
      this.progressWaiters.add(settle);
    });
  }

  /**
   * Stops calling back and closes. Output is aborted (Pa_AbortStream), dropping what the device
   * still holds: a draining stop takes over a second here, and meanwhile holds a libuv thread and
   * slows the other streams. Gives up waiting on a device that hangs (see quitAudioStream).
   */
  close(): Promise<void> {
    this.halt();
    const stream = this.stream;
    if (this.options.direction === 'input') {
      stream.removeAllListeners('data');
      return quitAudioStream(stream);
    }
    return quitAudioStream({ quit: (done) => (stream as IoStreamWrite).abort(done) });
  }

  private delivered(chunk: Buffer): void {
    if (this.stopped) return;
    const capturedAt = performance.now();
    this.noteProgress();
    try {
      this.options.onData?.(chunk, capturedAt);
    } catch (error) {
      this.fail(error);
    }
  }

  private noteProgress(): void {
    if (this.progressed) {
      this.watch.delivered();
      return;
    }
    this.progressed = true;
    this.watch.start();
    this.settleWaiters(true);
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.halt();
    this.options.onFailure(error);
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch.stop();
    this.settleWaiters(false);
  }

  private settleWaiters(progressed: boolean): void {
    for (const settle of [...this.progressWaiters]) settle(progressed);
  }
}
