import { describe, expect, it } from 'vitest';
import { measureLevel } from '../../../src/main/audio/level-meter';

function sine(amplitude: number, length = 2400): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return out;
}

describe('measureLevel', () => {
  it('reads silence and empty input as zero', () => {
    expect(measureLevel(new Int16Array(0))).toBe(0);
    expect(measureLevel(new Int16Array(480))).toBe(0);
  });

  it('reads a full-scale square wave as full', () => {
    const square = new Int16Array(480);
    for (let i = 0; i < square.length; i++) square[i] = i % 2 === 0 ? 32767 : -32768;
    expect(measureLevel(square)).toBeCloseTo(1, 3);
  });

  it('maps dBFS linearly onto the meter', () => {
    // A sine of amplitude A has RMS A/√2; -20 dBFS RMS is amplitude 32768 × 0.1 × √2.
    expect(measureLevel(sine(32768 * 0.1 * Math.SQRT2))).toBeCloseTo(2 / 3, 2);
    expect(measureLevel(sine(32768 * 0.01 * Math.SQRT2))).toBeCloseTo(1 / 3, 2);
  });

  it('rises with loudness and stays within 0..1', () => {
    const levels = [10, 100, 1000, 10_000, 32_767].map((a) => measureLevel(sine(a)));
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThan(levels[i - 1]);
    for (const level of levels) {
      expect(level).toBeGreaterThanOrEqual(0);
      expect(level).toBeLessThanOrEqual(1);
    }
    expect(levels[0]).toBe(0);
  });
});
