import { concat, SpeexResampler } from './speex-resampler';

/**
 * Speex quality 5 (of 0–10), its VoIP default. Measured here for 44.1 kHz → 24 kHz: ~0.5 % of a
 * core in real time and a 1 kHz sine at ~91 dB SNR, next to ~1.5 % for libsamplerate's
 * SINC_FASTEST at a similar SNR (see test/unit/audio/pcm-resampler.test.ts for the bar).
 */
const QUALITY = 5;

/**
 * Streaming PCM16 mono sample-rate converter around the Speex resampler (WASM). Filter state
 * carries across `process` calls, so chunk boundaries leave no clicks. Output is aligned with the
 * input (no leading delay); the filter only holds back a few ms at the end, which `flush` releases.
 */
export class PcmResampler {
  private readonly ratio: number;
  private samplesIn = 0;
  private samplesOut = 0;
  private disposed = false;

  private constructor(
    private readonly speex: SpeexResampler | null,
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
    return new PcmResampler(await SpeexResampler.create(fromRate, toRate, QUALITY), fromRate, toRate);
  }

  /**
   * A resampler already run through half a second of silence. The WASM filter runs several
   * times slower until V8 has optimised it; warming it when the device opens keeps that off the
   * first key press or the first reply (measured: a 1 s backlog took ~50 ms cold, ~15 ms warm).
   */
  static async createWarm(fromRate: number, toRate: number): Promise<PcmResampler> {
    const resampler = await PcmResampler.create(fromRate, toRate);
    resampler.process(new Int16Array(Math.round(fromRate / 2)));
    resampler.reset();
    return resampler;
  }

  /**
   * `current` if it converts between these rates, else a warm new one (`current` is disposed):
   * a device reopened at the same rate keeps its warm filter.
   */
  static async warmFor(current: PcmResampler | null, fromRate: number, toRate: number): Promise<PcmResampler> {
    if (current !== null && !current.disposed && current.fromRate === fromRate && current.toRate === toRate) return current;
    current?.dispose();
    return PcmResampler.createWarm(fromRate, toRate);
  }

  /** Returns a new array owned by the caller, possibly empty while the filter fills. */
  process(input: Int16Array): Int16Array {
    this.assertUsable();
    if (this.speex === null) return input.slice();
    const out = this.speex.process(input);
    this.samplesIn += input.length;
    this.samplesOut += out.length;
    return out;
  }

  /**
   * Releases what the filter holds back, so the total output is the input length × ratio, then
   * resets the state: the next `process` starts a new stream.
   */
  flush(): Int16Array {
    this.assertUsable();
    const speex = this.speex;
    if (speex === null) return new Int16Array(0);
    const wanted = Math.max(0, Math.round(this.samplesIn * this.ratio) - this.samplesOut);
    const pieces: Int16Array[] = [];
    let filled = 0;
    // Zeros push the held-back input through; one latency's worth (+ rounding) is enough, the
    // bound only guards against a filter that never fills.
    const zeros = new Int16Array(speex.inputLatency + 16);
    for (let step = 0; filled < wanted && step < 8; step++) {
      const out = speex.process(zeros);
      const take = Math.min(out.length, wanted - filled);
      pieces.push(take === out.length ? out : out.subarray(0, take));
      filled += take;
    }
    this.reset();
    return concat(pieces);
  }

  /** Drops what the filter holds and starts a new stream, without producing the tail `flush` would. */
  reset(): void {
    this.assertUsable();
    this.speex?.reset();
    this.samplesIn = 0;
    this.samplesOut = 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.speex?.dispose();
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
