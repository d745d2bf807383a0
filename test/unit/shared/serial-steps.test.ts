import { describe, expect, it } from 'vitest';
import { SerialSteps } from '../../../src/shared/serial-steps';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SerialSteps', () => {
  it('starts a step only once the one before it has settled, in the order asked', async () => {
    const steps = new SerialSteps();
    const log: string[] = [];
    const slowOpen = deferred();
    const opened = steps.run(async () => {
      log.push('open starts');
      await slowOpen.promise;
      log.push('open ends');
      return 'opened';
    });
    const closed = steps.run(async () => {
      log.push('close');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['open starts']);
    slowOpen.resolve();
    await expect(opened).resolves.toBe('opened');
    await closed;
    expect(log).toEqual(['open starts', 'open ends', 'close']);
  });

  it('rejects only the caller of a failed step; the next still runs', async () => {
    const steps = new SerialSteps();
    const failing = steps.run(async () => {
      throw new Error('device busy');
    });
    const next = steps.run(async () => 'ran');
    await expect(failing).rejects.toThrow('device busy');
    await expect(next).resolves.toBe('ran');
  });

  it('idle() waits for every step asked for so far, failed ones included', async () => {
    const steps = new SerialSteps();
    const gate = deferred();
    let done = false;
    void steps.run(() => gate.promise).catch(() => undefined);
    void steps.run(async () => {
      done = true;
    });
    const idle = steps.idle();
    gate.reject(new Error('failed'));
    await idle;
    expect(done).toBe(true);
  });
});
