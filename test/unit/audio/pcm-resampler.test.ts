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
  ])('keeps a 1 kHz sine clean from %i Hz to %i Hz when streamed in uneven chunks', async (fromRate, toRate) => {
    const input = sine(fromRate, 1);
    const output = await streamInUnevenChunks(input, fromRate, toRate);

    expect(Math.abs(output.length - input.length * (toRate / fromRate))).toBeLessThanOrEqual(1);
    // Skip 10 ms at each end: the filter's ramp-in and the zero padding the flush uses. A perfect
    // PCM16 sine at half scale measures about 92 dB; SINC_FASTEST gets close, so 70 dB is a real bar.
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

  it('does not shift the signal in time', async () => {
    const impulse = new Int16Array(4800);
    impulse[1000] = 30_000;
    const out = await resamplePcm(impulse, 48_000, 24_000);
    let peakAt = -1;
    for (let i = 0, peak = 0; i < out.length; i++) {
      if (Math.abs(out[i]) > peak) {
        peak = Math.abs(out[i]);
        peakAt = i;
      }
    }
    expect(peakAt).toBe(500);
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
