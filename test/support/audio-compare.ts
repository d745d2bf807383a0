/**
 * Compares two recordings of the same sound that went through different devices,
 * resamplers and delays. Sample-exact comparison is meaningless there; loudness envelopes
 * in 10 ms windows, aligned by cross-correlation, show whether every part of the source
 * is present, including its first and last syllables.
 */
const WINDOW = 240; // 10 ms at 24 kHz

export function envelope(pcm: Int16Array, window = WINDOW): Float64Array {
  const out = new Float64Array(Math.floor(pcm.length / window));
  for (let w = 0; w < out.length; w++) {
    let sum = 0;
    for (let i = w * window; i < (w + 1) * window; i++) sum += pcm[i]! * pcm[i]!;
    out[w] = Math.sqrt(sum / window);
  }
  return out;
}

export interface Alignment {
  /** Where the source starts inside the recording, in samples (negative: the recording misses the source's start). */
  offsetSamples: number;
  /** Pearson correlation of the envelopes at that offset, over the source's whole length. */
  correlation: number;
}

/** Finds where `source` sits inside `recording`. Windows outside the recording count as silence, so a clipped start or end lowers the score. */
export function align(source: Int16Array, recording: Int16Array): Alignment {
  const a = envelope(source);
  const b = envelope(recording);
  let best: Alignment = { offsetSamples: 0, correlation: -1 };
  for (let lag = -a.length + 1; lag < b.length; lag++) {
    const correlation = pearson(a, b, lag);
    if (correlation > best.correlation) best = { offsetSamples: lag * WINDOW, correlation };
  }
  return best;
}

function pearson(a: Float64Array, b: Float64Array, lag: number): number {
  const n = a.length;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < n; i++) {
    sumA += a[i]!;
    sumB += b[i + lag] ?? 0;
  }
  const meanA = sumA / n;
  const meanB = sumB / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - meanA;
    const db = (b[i + lag] ?? 0) - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  return varA === 0 || varB === 0 ? 0 : cov / Math.sqrt(varA * varB);
}

/** The span of samples louder than `threshold` of the peak: where the speech itself is. */
export function audibleSpan(pcm: Int16Array, threshold = 0.05): { start: number; end: number } {
  const env = envelope(pcm);
  const peak = Math.max(...env);
  let first = -1;
  let last = -1;
  env.forEach((value, index) => {
    if (value >= peak * threshold) {
      if (first === -1) first = index;
      last = index;
    }
  });
  return { start: Math.max(0, first) * WINDOW, end: (last + 1) * WINDOW };
}

/**
 * How many samples of `pcm` are sound: all but runs of near-digital silence (|sample| ≤ `quiet`
 * for at least `minRun` samples, 1 ms at 24 kHz), which is what a device plays in a gap. For
 * sound that never falls silent by itself (no speech pauses), this counts what came out however
 * the device spaced it. Counting loud 10 ms windows does not: a window that is partly sound
 * counts as wholly sound, so each gap (an underrun) added up to 20 ms at its edges.
 */
export function soundSamples(pcm: Int16Array, quiet = 8, minRun = 24): number {
  let silent = 0;
  let run = 0;
  for (const sample of pcm) {
    if (Math.abs(sample) <= quiet) {
      run++;
      continue;
    }
    if (run >= minRun) silent += run;
    run = 0;
  }
  if (run >= minRun) silent += run;
  return pcm.length - silent;
}

export function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return pcm.length === 0 ? 0 : Math.sqrt(sum / pcm.length);
}

/** One line on where `source` sits in `recording`, for an assertion's message: what to read first when a comparison fails. */
export function describeAlignment(source: Int16Array, recording: Int16Array, alignment: Alignment, sampleRate = 24_000): string {
  const s = (samples: number) => `${(samples / sampleRate).toFixed(2)} s`;
  const heard = audibleSpan(recording);
  const envelopeOf = (pcm: Int16Array) =>
    Array.from(envelope(pcm, sampleRate / 10), (value) => (value > 300 ? '#' : value > 30 ? '+' : '.')).join('');
  return [
    `source ${s(source.length)} at ${s(alignment.offsetSamples)} in a recording of ${s(recording.length)}`,
    `recording audible ${s(heard.start)}–${s(heard.end)}, correlation ${alignment.correlation.toFixed(3)}`,
    `source    100 ms loudness: ${envelopeOf(source)}`,
    `recording 100 ms loudness: ${envelopeOf(recording)}`,
  ].join('\n');
}
