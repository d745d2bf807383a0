import { describe, expect, it } from 'vitest';
import { TrailingSilence } from '../../../src/main/session/trailing-silence';

const RATE = 24_000;
const ms = (n: number) => Math.round((RATE * n) / 1000);

/** A tone at `dbfs`, or noise-like alternating samples: what matters here is the level. */
function tone(durationMs: number, dbfs: number): Int16Array {
  const amplitude = 32768 * 10 ** (dbfs / 20) * Math.SQRT2;
  const pcm = new Int16Array(ms(durationMs));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / RATE));
  return pcm;
}

describe('TrailingSilence', () => {
  it('counts the quiet at the end of the audio, whatever the frame sizes', () => {
    const silence = new TrailingSilence({ sampleRate: RATE });
    silence.push(tone(300, -70)); // the room
    silence.push(tone(500, -20)); // speech
    expect(silence.quietMs).toBe(0);
    const room = tone(130, -70);
    // Odd frame sizes split windows across pushes.
    silence.push(room.subarray(0, 1_000));
    silence.push(room.subarray(1_000, 1_001));
    silence.push(room.subarray(1_001));
    expect(silence.quietMs).toBe(130);
  });

  it('judges against the room: a fan at -40 dBFS is quiet in a room that hums at -42, speech at -20 is not', () => {
    const silence = new TrailingSilence({ sampleRate: RATE });
    silence.push(tone(400, -42));
    expect(silence.thresholdDb).toBeCloseTo(-32, 0);
    silence.push(tone(200, -20));
    silence.push(tone(150, -40));
    expect(silence.quietMs).toBe(150);
    silence.push(tone(10, -20));
    expect(silence.quietMs).toBe(0);
  });

  it('the same -40 dBFS is speech in a quiet room', () => {
    const silence = new TrailingSilence({ sampleRate: RATE });
    silence.push(tone(400, -75));
    silence.push(tone(150, -40));
    expect(silence.quietMs).toBe(0);
  });

  it('long speech does not lift its own bar: the floor comes from the quietest recent stretch', () => {
    const silence = new TrailingSilence({ sampleRate: RATE });
    silence.push(tone(300, -65));
    silence.push(tone(4_000, -25));
    silence.push(tone(120, -65));
    expect(silence.quietMs).toBe(120);
  });

  it('a new run starts at zero but keeps the floor', () => {
    const silence = new TrailingSilence({ sampleRate: RATE });
    silence.push(tone(300, -42));
    silence.resetRun();
    expect(silence.quietMs).toBe(0);
    expect(silence.thresholdDb).toBeCloseTo(-32, 0);
  });
});
