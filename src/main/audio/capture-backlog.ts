/**
 * The last few hundred ms of raw device-rate PCM16, kept while nobody needs 24 kHz audio.
 * Fed straight from naudiodon's Buffers with `Buffer.copy` into one preallocated ring, so a
 * warm idle mic costs a memcpy per period: no typed-array view, no allocation, no resampling.
 */
export class CaptureBacklog {
  private readonly ring: Int16Array;
  private readonly bytes: Buffer;
  private writeAt = 0;
  private filled = 0;
  /** `performance.now()` when the newest sample in the backlog reached Node. */
  newestCapturedAt = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`Invalid backlog capacity: ${capacity}`);
    this.ring = new Int16Array(capacity);
    this.bytes = Buffer.from(this.ring.buffer, this.ring.byteOffset, this.ring.byteLength);
  }

  /** Samples held, at most `capacity`. */
  get length(): number {
    return this.filled;
  }

  /** Appends the PCM16 samples in `chunk` (native byte order, as naudiodon delivers them). */
  pushBytes(chunk: Buffer, capturedAt: number): void {
    const capacity = this.capacity;
    const samples = Math.floor(chunk.byteLength / 2);
    if (capacity === 0 || samples === 0) return;
    this.newestCapturedAt = capturedAt;
    if (samples >= capacity) {
      chunk.copy(this.bytes, 0, (samples - capacity) * 2, samples * 2);
      this.writeAt = 0;
      this.filled = capacity;
      return;
    }
    const firstPart = Math.min(samples, capacity - this.writeAt);
    chunk.copy(this.bytes, this.writeAt * 2, 0, firstPart * 2);
    if (firstPart < samples) chunk.copy(this.bytes, 0, firstPart * 2, samples * 2);
    this.writeAt = (this.writeAt + samples) % capacity;
    this.filled = Math.min(capacity, this.filled + samples);
  }

  /**
   * The newest `samples` held (all by default), oldest first, as at most two views into the
   * ring (valid until the next push or clear).
   */
  pieces(samples = this.filled): Int16Array[] {
    const count = Math.min(this.filled, Math.max(0, Math.floor(samples)));
    if (count === 0) return [];
    const start = (this.writeAt - count + this.capacity) % this.capacity;
    const firstPart = Math.min(count, this.capacity - start);
    const pieces = [this.ring.subarray(start, start + firstPart)];
    if (firstPart < count) pieces.push(this.ring.subarray(0, count - firstPart));
    return pieces;
  }

  clear(): void {
    this.writeAt = 0;
    this.filled = 0;
  }
}
