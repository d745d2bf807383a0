import { describe, expect, it } from 'vitest';
import { timerAfterIo } from '../../src/main/timer-after-io';

/** Busy for `ms`, as a loaded machine or a long GC keeps the loop from reading I/O. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

// A MessagePort delivers through the event loop's I/O, as the keyboard hook's thread and the
// audio reads do.
describe('timerAfterIo', () => {
  it('runs after I/O that arrived while the loop was stalled past the timer', async () => {
    const order: string[] = [];
    const { port1, port2 } = new MessageChannel();
    port2.on('message', () => order.push('io'));
    try {
      await new Promise<void>((resolve) =>
        // From a setImmediate callback, the next turn of the loop runs due timers before I/O.
        setImmediate(() => {
          timerAfterIo(() => {
            order.push('timer');
            resolve();
          }, 10);
          port1.postMessage('event');
          stall(40);
        }),
      );
      expect(order).toEqual(['io', 'timer']);
    } finally {
      port2.close();
    }
  });

  it('cancelled once due but not yet run, it does not run', async () => {
    let ran = false;
    const { port1, port2 } = new MessageChannel();
    try {
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          const timer = timerAfterIo(() => (ran = true), 10);
          // Handled after the due timer has fired and before its callback runs.
          port2.on('message', () => timer.cancel());
          port1.postMessage('cancel');
          stall(40);
          setTimeout(resolve, 50);
        }),
      );
      expect(ran).toBe(false);
    } finally {
      port2.close();
    }
  });
});
