import { BACKEND_SAMPLE_RATE, type HeardAudio } from './pcm-format';

/** What the queue needs of PcmResampler: 24 kHz in, the device's rate out. */
export interface PlaybackResampler {
  process(input: Int16Array): Int16Array;
  /** Releases the samples the filter holds back and starts a new stream. */
  flush(): Int16Array;
  /** Drops the samples the filter holds back and starts a new stream. */
  reset(): void;
}

/** The item whose samples are being handed to the device. */
interface PlayingItem {
  itemId: string;
  /** Device-rate samples of this item handed out by fill(). */
  handed: number;
  /** 24 kHz samples of this item given to push(), the ceiling for audioEndMs. */
  queued: number;
}

/**
 * The audio waiting to be played, in order, and the count of what of it has been handed to the
 * device: no device, no timers, so it can be tested sample by sample.
 *
 * Audio is kept at 24 kHz until fill() needs it, so it can wait while the device is closed and be
 * converted for whatever rate the device opens at. The resampler holds back a few samples at the
 * end of what it was given; they are released when the item ends or the queue runs dry, and
 * dropped by stop().
 *
 * Heard count: each item's count is the number of its samples handed out by fill(). Whatever has
 * been handed to the device plays out, so the count is what the listener hears, to the sample.
 */
export class PlaybackQueue {
  private resampler: PlaybackResampler | null = null;
  private deviceRate = 0;
  private waiting: { itemId: string; pcm: Int16Array }[] = [];
  /** 24 kHz samples pushed per item that has not started playing yet. */
  private readonly queuedPerItem = new Map<string, number>();
  private converted: Int16Array = new Int16Array(0);
  private convertedItem = '';
  private offset = 0;
  /** The item whose last samples the resampler holds back, if any. */
  private resamplerItem: string | null = null;
  private playing: PlayingItem | null = null;

  /** The resampler for the device's rate; set before fill(), again when the device changes. */
  useDevice(resampler: PlaybackResampler, deviceRate: number): void {
    if (resampler !== this.resampler) this.dropConverted();
    this.resampler = resampler;
    this.deviceRate = deviceRate;
  }

  /** Queues 24 kHz audio of an item (copied: the caller may reuse its buffer). */
  push(itemId: string, pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.waiting.push({ itemId, pcm: pcm.slice() });
    if (this.playing?.itemId === itemId) this.playing.queued += pcm.length;
    else this.queuedPerItem.set(itemId, (this.queuedPerItem.get(itemId) ?? 0) + pcm.length);
  }

  /** True while queued audio remains to be handed out. */
  get hasAudio(): boolean {
    return this.offset < this.converted.length || this.waiting.length > 0 || this.resamplerItem !== null;
  }

  /**
   * Fills `chunk` (device rate) with the next samples, silence after them. Returns how many are
   * audio, and the item whose first sample is in the chunk, if one starts.
   */
  fill(chunk: Int16Array): { filled: number; started: string | null } {
    let filled = 0;
    let started: string | null = null;
    while (filled < chunk.length) {
      if (this.offset >= this.converted.length && !this.convertNext()) break;
      if (this.offset >= this.converted.length) continue;
      if (this.playing?.itemId !== this.convertedItem) {
        const itemId = this.convertedItem;
        this.playing = { itemId, handed: 0, queued: this.queuedPerItem.get(itemId) ?? 0 };
        this.queuedPerItem.delete(itemId);
        started = itemId;
      }
      const take = Math.min(chunk.length - filled, this.converted.length - this.offset);
      chunk.set(this.converted.subarray(this.offset, this.offset + take), filled);
      this.offset += take;
      filled += take;
      this.playing.handed += take;
    }
    if (filled < chunk.length) chunk.fill(0, filled);
    return { filled, started };
  }

  /**
   * Drops everything queued. Returns how much of the item playing was handed out, or null when
   * nothing was, or when that item had ended and the next had not started.
   */
  stop(): HeardAudio | null {
    const playing = this.playing;
    const next = this.offset < this.converted.length ? this.convertedItem : (this.waiting[0]?.itemId ?? this.resamplerItem);
    const nextIsAnotherItem = next !== null && next !== undefined && next !== playing?.itemId;
    const heard =
      playing !== null && playing.handed > 0 && !nextIsAnotherItem
        ? {
            itemId: playing.itemId,
            audioEndMs: Math.min(
              Math.floor((playing.handed * 1000) / this.deviceRate),
              Math.floor((playing.queued * 1000) / BACKEND_SAMPLE_RATE),
            ),
          }
        : null;
    this.waiting = [];
    this.queuedPerItem.clear();
    this.dropConverted();
    this.playing = null;
    return heard;
  }

  /** Converts the next piece of audio; false when there is none. */
  private convertNext(): boolean {
    const resampler = this.resampler;
    if (resampler === null) throw new Error('PlaybackQueue.fill() before useDevice()');
    const next = this.waiting[0];
    if (this.resamplerItem !== null && next?.itemId !== this.resamplerItem) {
      // The item ended, or nothing more of it has arrived yet: release what the filter holds.
      this.take(this.resamplerItem, resampler.flush());
      this.resamplerItem = null;
      return true;
    }
    if (next === undefined) return false;
    this.waiting.shift();
    this.take(next.itemId, resampler.process(next.pcm));
    this.resamplerItem = next.itemId;
    return true;
  }

  private take(itemId: string, pcm: Int16Array): void {
    this.converted = pcm;
    this.convertedItem = itemId;
    this.offset = 0;
  }

  private dropConverted(): void {
    if (this.resamplerItem !== null) this.resampler?.reset();
    this.resamplerItem = null;
    this.take('', new Int16Array(0));
  }
}
