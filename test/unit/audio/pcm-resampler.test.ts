import { describe, expect, it } from 'vitest';
import { PcmResampler, resamplePcm } from '../../../src/main/audio/pcm-resampler';

const AMPLITUDE = 16_000;

function sine(rate: number, seconds: number, hz = 1000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(AMPLITUDE * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/**
 * SNR of `actual` against the ideal sine at `rate`, skipping `skip` samples at each end where
 * the filter is still filling or the flush pads with zeros.
 */
function sineSnrDb(actual: Int16Array, rate: number, skip: number, hz = 1000): number {
  let signal = 0;
  let noise = 0;
  for (let i = skip; i < actual.length - skip; i++) {
    const ideal = AMPLITUDE * Math.sin((2 * Math.PI * hz * i) / rate);
    signal += ideal * ideal;
    noise += (actual[i] - ideal) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

/** Chunk sizes that never line up with a period: 1, 7, 333, 960, 4097 … in a repeating pattern. */
async function streamInUnevenChunks(pcm: Int16Array, fromRate: number, toRate: number): Promise<Int16Array> {
  const resampler = await PcmResampler.create(fromRate, toRate);
  const sizes = [1, 7, 333, 960, 4097, 50, 2];
  const pieces: Int16Array[] = [];
  let offset = 0;
  for (let n = 0; offset < pcm.length; n++) {
    const size = sizes[n % sizes.length];
    pieces.push(resampler.process(pcm.subarray(offset, offset + size)));
    offset += size;
  }
  pieces.push(resampler.flush());
  resampler.dispose();
  const out = new Int16Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('PcmResampler', () => {
  it.each([
    [48_000, 24_000],
    [44_100, 24_000],
    [24_000, 48_000],
    [24_000, 44_100],
    [48_000, 44_100],
  ])('keeps a 1 kHz sine clean from %i Hz to %i Hz when streamed in uneven chunks', async (fromRate, toRate) => {
    const input = sine(fromRate, 1);
    const output = await streamInUnevenChunks(input, fromRate, toRate);

    expect(Math.abs(output.length - input.length * (toRate / fromRate))).toBeLessThanOrEqual(1);
    // Skip 10 ms at each end: the filter's ramp-in and the zero padding the flush uses. A perfect
    // PCM16 sine at half scale measures about 92 dB; Speex quality 5 gets within ~2 dB, so 70 dB is a real bar.
    expect(sineSnrDb(output, toRate, toRate / 100)).toBeGreaterThan(70);
  });

  it('matches the one-shot result when streamed', async () => {
    const input = sine(44_100, 0.5, 440);
    const whole = await resamplePcm(input, 44_100, 24_000);
    const streamed = await streamInUnevenChunks(input, 44_100, 24_000);
    expect(streamed.length).toBe(whole.length);
    let maxDiff = 0;
    for (let i = 0; i < whole.length; i++) maxDiff = Math.max(maxDiff, Math.abs(whole[i] - streamed[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('keeps interleaved streams apart although they share one WASM instance', async () => {
    const a = sine(44_100, 0.3, 440);
    const b = sine(48_000, 0.3, 1000);
    const alone = [await resamplePcm(a, 44_100, 24_000), await resamplePcm(b, 48_000, 24_000)];
    const [ra, rb] = await Promise.all([PcmResampler.create(44_100, 24_000), PcmResampler.create(48_000, 24_000)]);
    const pieces: Int16Array[][] = [[], []];
    for (let at = 0; at < a.length || at < b.length; at += 441) {
      pieces[0].push(ra.process(a.subarray(at, at + 441)));
      pieces[1].push(rb.process(b.subarray(at, at + 441)));
    }
    pieces[0].push(ra.flush());
    pieces[1].push(rb.flush());
    ra.dispose();
    rb.dispose();
    const joined = pieces.map((list) => {
      const out = new Int16Array(list.reduce((sum, p) => sum + p.length, 0));
      let at = 0;
      for (const p of list) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    });
    expect(joined[0]).toEqual(alone[0]);
    expect(joined[1]).toEqual(alone[1]);
  });

  it.each([
    [8_000, 192_000],
    [192_000, 8_000],
  ])('handles one call far bigger than its WASM buffers, %i Hz to %i Hz', async (fromRate, toRate) => {
    // 2 s in one process() call: the glue feeds it in pieces, which must not drop or repeat any.
    const input = sine(fromRate, 2, 500);
    const output = await resamplePcm(input, fromRate, toRate);
    expect(output.length).toBe(Math.round(input.length * (toRate / fromRate)));
    expect(sineSnrDb(output, toRate, toRate / 100, 500)).toBeGreaterThan(70);
  });

  it.each([
    [48_000, 24_000],
    [44_100, 24_000],
    [24_000, 44_100],
  ])('does not shift the signal in time from %i Hz to %i Hz', async (fromRate, toRate) => {
    // An impulse 30 ms in must peak 30 ms in: the resampler's own filter delay is compensated.
    const impulse = new Int16Array(fromRate / 10);
    impulse[(fromRate * 3) / 100] = 30_000;
    const out = await resamplePcm(impulse, fromRate, toRate);
    let peakAt = -1;
    for (let i = 0, peak = 0; i < out.length; i++) {
      if (Math.abs(out[i]) > peak) {
        peak = Math.abs(out[i]);
        peakAt = i;
      }
    }
    expect(peakAt).toBe((toRate * 3) / 100);
  });

  it('starts a fresh stream after a flush', async () => {
    const resampler = await PcmResampler.create(48_000, 24_000);
    const input = sine(48_000, 0.2);
    const first = [resampler.process(input), resampler.flush()];
    const second = [resampler.process(input), resampler.flush()];
    resampler.dispose();
    expect(second[0]).toEqual(first[0]);
    expect(second[1]).toEqual(first[1]);
  });

  it('starts a fresh stream after a reset, dropping what the filter held', async () => {
    const resampler = await PcmResampler.create(44_100, 24_000);
    const input = sine(44_100, 0.2);
    const fresh = resampler.process(input);
    resampler.process(sine(44_100, 0.05, 3000));
    resampler.reset();
    expect(resampler.process(input)).toEqual(fresh);
    resampler.dispose();
    expect(() => resampler.reset()).toThrow(/dispose/);
  });

  it('passes audio through untouched when the rates match', async () => {
    const input = sine(24_000, 0.1);
    const resampler = await PcmResampler.create(24_000, 24_000);
    const out = resampler.process(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(resampler.flush().length).toBe(0);
    resampler.dispose();
  });

  it('clips instead of wrapping around at full scale', async () => {
    const square = new Int16Array(4800);
    for (let i = 0; i < square.length; i++) square[i] = Math.floor(i / 24) % 2 === 0 ? 32767 : -32768;
    const out = await resamplePcm(square, 48_000, 44_100);
    // Gibbs overshoot would wrap to the opposite sign without clamping; look for sign flips next to a rail.
    let wraps = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i] - out[i - 1]) > 60_000) wraps++;
    expect(wraps).toBe(0);
  });

  it('rejects nonsense rates', async () => {
    await expect(PcmResampler.create(0, 24_000)).rejects.toThrow(/sample rate/);
    await expect(PcmResampler.create(48_000, 22_050.5)).rejects.toThrow(/sample rate/);
  });
});
