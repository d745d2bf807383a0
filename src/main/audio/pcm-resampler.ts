import * as libsamplerateModule from '@alexanderolsen/libsamplerate-js';

type LibSampleRate = typeof libsamplerateModule;
type SampleRateConverter = Awaited<ReturnType<LibSampleRate['create']>>;
type ConverterTypeValue = SampleRateConverter['converterType'];

// The package is a webpack UMD bundle: Node's ESM loader exposes it only as `default`, bundlers as named exports.
const libsamplerate: LibSampleRate = (libsamplerateModule as { default?: LibSampleRate }).default ?? libsamplerateModule;

/**
 * SRC_SINC_FASTEST. Measured here for speech rates (48k/44.1k → 24k, 24k → 48k): a 1 kHz sine keeps
 * an SNR far above what PCM16 speech needs (see test/unit/audio/pcm-resampler.test.ts), while
 * SRC_SINC_MEDIUM_QUALITY costs about twice the CPU for a difference nobody hears in a voice.
 */
const CONVERTER: ConverterTypeValue = 2;

/** Bounds the scratch buffers; bigger inputs are fed in pieces. */
const MAX_CHUNK = 16_384;
/** Zeros fed per step while flushing; the sinc filters here hold back well under this. */
const FLUSH_STEP = 512;

/**
 * Streaming PCM16 mono sample-rate converter around libsamplerate (WASM). Filter state carries
 * across `process` calls, so chunk boundaries leave no clicks. Output is aligned with the input
 * (no leading delay); the filter only holds back a few ms at the end, which `flush` releases.
 */
export class PcmResampler {
  private readonly ratio: number;
  private inputScratch = new Float32Array(0);
  private outputScratch = new Float32Array(0);
  private readonly produced = { frames: 0 };
  private samplesIn = 0;
  private samplesOut = 0;
  private disposed = false;

  private constructor(
    private readonly converter: SampleRateConverter | null,
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.ratio = toRate / fromRate;
  }

  static async create(fromRate: number, toRate: number): Promise<PcmResampler> {
    for (const rate of [fromRate, toRate]) {
      if (!Number.isInteger(rate) || rate < 1000 || rate > 192_000) throw new RangeError(`Unsupported sample rate: ${rate}`);
    }
    if (fromRate === toRate) return new PcmResampler(null, fromRate, toRate);
    const converter = await libsamplerate.create(1, fromRate, toRate, { converterType: CONVERTER });
    return new PcmResampler(converter, fromRate, toRate);
  }

  /** Returns a new array owned by the caller, possibly empty while the filter fills. */
  process(input: Int16Array): Int16Array {
    this.assertUsable();
    if (this.converter === null) return input.slice();
    if (input.length <= MAX_CHUNK) return this.convert(input, false);
    const pieces: Int16Array[] = [];
    for (let start = 0; start < input.length; start += MAX_CHUNK) {
      pieces.push(this.convert(input.subarray(start, start + MAX_CHUNK), false));
    }
    return concat(pieces);
  }

  /**
   * Releases what the filter holds back, so the total output is the input length × ratio, then
   * resets the state: the next `process` starts a new stream.
   */
  flush(): Int16Array {
    this.assertUsable();
    if (this.converter === null) return new Int16Array(0);
    const wanted = Math.round(this.samplesIn * this.ratio) - this.samplesOut;
    const tail = new Int16Array(Math.max(0, wanted));
    let filled = 0;
    const zeros = new Int16Array(FLUSH_STEP);
    // A bounded loop: each step yields about FLUSH_STEP × ratio samples once the filter is primed.
    for (let step = 0; filled < tail.length && step < 64; step++) {
      const out = this.convert(zeros, true);
      const take = Math.min(out.length, tail.length - filled);
      tail.set(out.subarray(0, take), filled);
      filled += take;
    }
    this.reset();
    return filled === tail.length ? tail : tail.subarray(0, filled);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.converter?.destroy();
  }

  private convert(input: Int16Array, isFlushPadding: boolean): Int16Array {
    const converter = this.converter;
    if (converter === null || input.length === 0) return new Int16Array(0);
    if (this.inputScratch.length < input.length) this.inputScratch = new Float32Array(Math.max(input.length, 1024));
    const outCapacity = Math.ceil(input.length * this.ratio) + 16;
    if (this.outputScratch.length < outCapacity) this.outputScratch = new Float32Array(Math.max(outCapacity, 1024));
    const floats = this.inputScratch.subarray(0, input.length);
    for (let i = 0; i < input.length; i++) floats[i] = input[i] / 32768;
    this.produced.frames = 0;
    converter.full(floats, this.outputScratch, this.produced);
    const frames = this.produced.frames;
    const out = new Int16Array(frames);
    const source = this.outputScratch;
    for (let i = 0; i < frames; i++) {
      const scaled = Math.round(source[i] * 32768);
      out[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
    }
    if (!isFlushPadding) this.samplesIn += input.length;
    this.samplesOut += frames;
    return out;
  }

  /** Drops what the filter holds and starts a new stream, without producing the tail `flush` would. */
  reset(): void {
    this.assertUsable();
    // Assigning the converter type makes the library delete and re-create the C state.
    if (this.converter !== null) this.converter.converterType = CONVERTER;
    this.samplesIn = 0;
    this.samplesOut = 0;
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('PcmResampler used after dispose()');
  }
}

/** Resamples a whole clip in one go; the output length is the input length × ratio. */
export async function resamplePcm(pcm: Int16Array, fromRate: number, toRate: number): Promise<Int16Array> {
  if (fromRate === toRate) return pcm.slice();
  const resampler = await PcmResampler.create(fromRate, toRate);
  try {
    return concat([resampler.process(pcm), resampler.flush()]);
  } finally {
    resampler.dispose();
  }
}

function concat(pieces: Int16Array[]): Int16Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
