import type { EngineEvent } from '../../shared/engine-events';
import type { AppEvent } from '../../shared/ipc';

export type WindowEvent = EngineEvent | AppEvent;

export interface EventBatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface EngineEventBatcherOptions {
  /** Receives each non-empty batch, in order. */
  flush(batch: WindowEvent[]): void;
  /** Minimum time between two flushes: 34 ms keeps it to at most 30 in any second. */
  intervalMs?: number;
  timers?: EventBatcherTimers;
}

const systemTimers: EventBatcherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  // Not the wall clock: one stepped back (an NTP correction, a change by hand) would hold every event back as long.
  now: () => performance.now(),
};

/**
 * Collects the window's events and hands them over in batches, at most one batch per
 * interval, so a fast stream of transcript updates does not flood IPC or React.
 *
 * Coalescing keeps what the window would end up drawing anyway:
 * - a transcript event replaces a queued one for the same item and role (the text is the
 *   whole text so far), in the queued one's place, so lines keep the order they first
 *   appeared in;
 * - a level event replaces a queued level event;
 * - state, error and app events are never dropped or reordered, and nothing is coalesced
 *   across them: an event queued before a `state` or `conversation-cleared` stays before it.
 */
export class EngineEventBatcher {
  readonly #flush: (batch: WindowEvent[]) => void;
  readonly #intervalMs: number;
  readonly #timers: EventBatcherTimers;
  #queue: WindowEvent[] = [];
  /** Index of the first queued event after the last barrier (state, error or app event). */
  #segmentStart = 0;
  #timer: unknown = null;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  #disposed = false;

  constructor(options: EngineEventBatcherOptions) {
    this.#flush = options.flush;
    this.#intervalMs = options.intervalMs ?? 34;
    this.#timers = options.timers ?? systemTimers;
  }

  push(event: WindowEvent): void {
    if (this.#disposed) return;
    const replaceAt = this.#coalescingIndex(event);
    if (replaceAt === -1) {
      this.#queue.push(event);
      if (isBarrier(event)) this.#segmentStart = this.#queue.length;
    } else {
      this.#queue[replaceAt] = event;
    }
    this.#schedule();
  }

  /** Sends whatever is queued now (used before quitting). */
  flushNow(): void {
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#segmentStart = 0;
    this.#lastFlushAt = this.#timers.now();
    this.#flush(batch);
  }

  dispose(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
    this.#disposed = true;
  }

  #coalescingIndex(event: WindowEvent): number {
    if (event.type !== 'transcript' && event.type !== 'level') return -1;
    for (let index = this.#queue.length - 1; index >= this.#segmentStart; index--) {
      const queued = this.#queue[index];
      if (!queued) continue;
      if (event.type === 'level' && queued.type === 'level') return index;
      if (event.type === 'transcript' && queued.type === 'transcript' && queued.itemId === event.itemId && queued.role === event.role) {
        return index;
      }
    }
    return -1;
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastFlushAt + this.#intervalMs - this.#timers.now());
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.flushNow();
    }, wait);
  }
}

function isBarrier(event: WindowEvent): boolean {
  return event.type !== 'transcript' && event.type !== 'level';
}
