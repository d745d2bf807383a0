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
 * One timer, pushed back by every delivery (`refresh()` costs no wake-up), so a healthy stream
 * pays nothing but two timer expiries a second at most; it only fires after `lossAfterMs` of silence.
 */
export class DeliveryWatch {
  private lastDeliveryAt = 0;
  private lost = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DeliveryWatchOptions) {}

  get isLost(): boolean {
    return this.lost;
  }

  /** Starts watching, counting from now as if audio had just arrived. */
  start(): void {
    this.stop();
    this.lost = false;
    this.lastDeliveryAt = performance.now();
    this.timer = setTimeout(() => this.check(), this.options.lossAfterMs);
    this.timer.unref();
  }

  /** Call on every chunk of audio. */
  delivered(): void {
    this.lastDeliveryAt = performance.now();
    this.timer?.refresh();
    if (this.lost) {
      this.lost = false;
      this.options.onBack();
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private check(): void {
    // Timers run before I/O in each turn of the event loop: after a pause of the whole process
    // (a long GC, a starved machine), reads that completed meanwhile are still queued behind
    // this timer. Look again once they have been handed over.
    setImmediate(() => {
      if (this.timer === null) return;
      const silentFor = performance.now() - this.lastDeliveryAt;
      if (silentFor < this.options.lossAfterMs) return; // delivered() has re-armed the timer
      if (silentFor >= this.options.giveUpAfterMs) {
        this.stop();
        this.options.onGiveUp();
        return;
      }
      if (!this.lost) {
        this.lost = true;
        this.options.onLost();
      }
      this.timer?.refresh(); // look again, to give up if the silence lasts (onLost may have stopped it)
    });
  }
}
