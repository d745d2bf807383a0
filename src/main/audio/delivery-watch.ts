import { timerAfterIo, type TimerHandle } from '../timer-after-io';

export interface DeliveryWatchOptions {
  /** No audio for this long means the device has gone: a working microphone never pauses. */
  lossAfterMs: number;
  /** Still no audio this long after the last: the stream is given up. */
  giveUpAfterMs: number;
  onLost(): void;
  onBack(): void;
  onGiveUp(): void;
}

/**
 * Notices a capture stream that stops delivering. A device that is unplugged, switched off or
 * removed from the sound server often raises no error at all: its reads just never complete.
 *
 * A delivery only notes the time. One timer, when it comes due, sleeps again for whatever is left
 * of the silence it waits for, so a healthy stream costs about one wake-up per `lossAfterMs`.
 * A timer that comes due is no proof that its time has passed by performance.now(): Node's
 * timers count whole milliseconds and can fire a little early by that clock. The watch used to
 * push its timer back on every delivery and, finding the silence a hair too short when it fired,
 * stopped watching for good (a mic suspended for seconds was never reported).
 */
export class DeliveryWatch {
  private lastDeliveryAt = 0;
  private lost = false;
  private timer: TimerHandle | null = null;

  constructor(private readonly options: DeliveryWatchOptions) {}

  get isLost(): boolean {
    return this.lost;
  }

  /** Starts watching, counting from now as if audio had just arrived. */
  start(): void {
    this.stop();
    this.lost = false;
    this.lastDeliveryAt = performance.now();
    this.sleep(this.options.lossAfterMs);
  }

  /** Call on every chunk of audio. */
  delivered(): void {
    this.lastDeliveryAt = performance.now();
    if (this.lost) {
      this.lost = false;
      // The timer sleeps until the give-up; a new silence must be noticed as soon as the first.
      if (this.timer !== null) {
        this.timer.cancel();
        this.sleep(this.options.lossAfterMs);
      }
      this.options.onBack();
    }
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /**
   * Looks again in `ms`, once the reads that completed meanwhile have been handed over (after a
   * pause of the whole process, a long GC or a starved machine, they queue behind the timer).
   */
  private sleep(ms: number): void {
    const timer = timerAfterIo(() => this.check(timer), Math.max(1, Math.ceil(ms)), { unref: true });
    this.timer = timer;
  }

  private check(timer: TimerHandle): void {
    if (this.timer !== timer) return; // stopped, or started again
    const { lossAfterMs, giveUpAfterMs } = this.options;
    const silentFor = performance.now() - this.lastDeliveryAt;
    if (silentFor >= giveUpAfterMs) {
      this.stop();
      this.options.onGiveUp();
      return;
    }
    if (silentFor < lossAfterMs) {
      this.sleep(lossAfterMs - silentFor);
      return;
    }
    if (!this.lost) {
      this.lost = true;
      this.options.onLost();
      if (this.timer !== timer) return; // onLost stopped the watch
    }
    // Back or not by then, look again when the silence would be long enough to give up.
    this.sleep(giveUpAfterMs - silentFor);
  }
}
