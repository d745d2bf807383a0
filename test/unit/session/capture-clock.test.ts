import { describe, expect, it } from 'vitest';
import { CaptureClock } from '../../../src/main/session/capture-clock';

const RATE = 24_000;
const PERIOD = 2_400; // 100 ms

describe('CaptureClock', () => {
  it('follows frames that arrive on time', () => {
    const clock = new CaptureClock(RATE);
    expect(clock.newestAt).toBe(Number.NEGATIVE_INFINITY);
    clock.push(PERIOD, 1_000);
    clock.push(PERIOD, 1_100);
    expect(clock.newestAt).toBe(1_100);
  });

  it('places a burst that arrives after a stall by its samples, not by its arrival', () => {
    const clock = new CaptureClock(RATE);
    clock.push(PERIOD, 1_000);
    // The process stalled for 400 ms; four periods arrive at once.
    for (let i = 0; i < 4; i++) clock.push(PERIOD, 1_500);
    expect(clock.newestAt).toBe(1_400);
    clock.push(PERIOD, 1_500);
    expect(clock.newestAt).toBe(1_500);
  });

  it('starts afresh after a reset', () => {
    const clock = new CaptureClock(RATE);
    clock.push(PERIOD, 1_000);
    clock.reset();
    clock.push(PERIOD, 9_000);
    expect(clock.newestAt).toBe(9_000);
  });
});
