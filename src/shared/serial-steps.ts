/**
 * Runs asynchronous steps one at a time, in the order they were asked for. A step that fails
 * rejects only its own caller; the steps after it still run. Opening and closing a device, or
 * applying settings, must never interleave: a close that overtakes its open leaves a stream that
 * nobody closes.
 */
export class SerialSteps {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.last.then(step);
    this.last = result.catch(() => undefined);
    return result;
  }

  /** Settles once every step asked for so far has settled. */
  idle(): Promise<void> {
    return this.last.then(() => undefined);
  }
}
