import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryWatch } from '../../../src/main/audio/delivery-watch';

// Fake timers: these tests pin down what happens after how much silence, which real time cannot.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function watched(): { watch: DeliveryWatch; calls: string[] } {
  const calls: string[] = [];
  const watch = new DeliveryWatch({
    lossAfterMs: 500,
    giveUpAfterMs: 3000,
    onLost: () => calls.push('lost'),
    onBack: () => calls.push('back'),
    onGiveUp: () => calls.push('give-up'),
  });
  return { watch, calls };
}

describe('DeliveryWatch', () => {
  it('stays quiet while audio keeps coming, however long', () => {
    const { watch, calls } = watched();
    watch.start();
    for (let i = 0; i < 600; i++) {
      vi.advanceTimersByTime(100);
      watch.delivered();
    }
    expect(calls).toEqual([]);
    expect(watch.isLost).toBe(false);
  });

  it('reports a loss once after the silence, then the return, then gives up on a silence that lasts', () => {
    const { watch, calls } = watched();
    watch.start();
    vi.advanceTimersByTime(100);
    watch.delivered();
    vi.advanceTimersByTime(450);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['lost']);
    expect(watch.isLost).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['lost']);

    watch.delivered();
    expect(calls).toEqual(['lost', 'back']);
    expect(watch.isLost).toBe(false);

    vi.advanceTimersByTime(3100);
    expect(calls).toEqual(['lost', 'back', 'lost', 'give-up']);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(4);
  });

  it('notices a new silence after the return as soon as the first', () => {
    const { watch, calls } = watched();
    watch.start();
    vi.advanceTimersByTime(600);
    expect(calls).toEqual(['lost']);
    watch.delivered();
    vi.advanceTimersByTime(450);
    expect(calls).toEqual(['lost', 'back']);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['lost', 'back', 'lost']);
  });

  // Node's timers count whole milliseconds and can come due a little before performance.now()
  // says their time has passed; here the delivery is stamped 30 ms after the timer's clock, to
  // make that plain. The watch must look again rather than stop watching (seen on a loaded
  // machine: a mic suspended for seconds was never reported).
  it('reports the loss when its timer comes due a little before the silence is long enough', () => {
    const { watch, calls } = watched();
    const timerClock = performance.now.bind(performance);
    let lateBy = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => timerClock() + lateBy);
    watch.start();
    vi.advanceTimersByTime(100);
    lateBy = 30;
    watch.delivered();
    lateBy = 0;
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(calls).toEqual(['lost']);
    vi.advanceTimersByTime(3000);
    expect(calls).toEqual(['lost', 'give-up']);
  });

  it('fires nothing once stopped', () => {
    const { watch, calls } = watched();
    watch.start();
    watch.stop();
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual([]);
  });
});
