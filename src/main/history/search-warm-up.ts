import type { ConversationStore } from './conversation-store';

/**
 * Searches of every shape the indexes answer (trigram phrases in two scripts, one and two
 * characters, a query that matches nothing). Their results don't matter; running them does.
 */
export const WARM_UP_QUERIES: readonly string[] = ['the weather', 'tomorrow morning', '天气很好', '天气', '天', 'e', 'th', 'qzx', '明天会下雨吗', 'ok'];

/** Lines read per step of the warm-up's pass over the history: about 10–20 ms each here. */
const LINES_PER_STEP = 4000;

export type WarmUpStore = Pick<ConversationStore, 'search' | 'readLinesForWarmUp' | 'indexStep'>;

/**
 * Why: V8 runs WebAssembly in its baseline compiler until a function has run a lot, so the
 * first searches of a session took 30–150 ms each in node-sqlite3-wasm against 2–8 ms once
 * warm. Measured with the bench's query mix on 10,000 conversations: after the ten searches
 * below its p95 was still ~20 ms (trigram phrases ~45 ms); after one pass over every line's
 * text as well, 6–10 ms (trigram phrases ~8–16 ms), and the page cache holds the newest lines.
 * A pass over 5,000 or 20,000 lines was not enough. The steps are small so that a caller can
 * run one per timer tick.
 *
 * First, though, whatever waits to be indexed is indexed, a step at a time: after an upgrade
 * that is every line (until then searches scan the lines not indexed yet, which is slower),
 * and a Parley that quit mid-way goes on from where it stopped.
 */
export function* searchWarmUp(store: WarmUpStore): Generator<void, void, void> {
  while (store.indexStep()) yield;
  for (const query of WARM_UP_QUERIES) {
    store.search(query, 50);
    yield;
  }
  for (let before = store.readLinesForWarmUp(null, LINES_PER_STEP); before !== null; before = store.readLinesForWarmUp(before, LINES_PER_STEP)) yield;
}

/**
 * Runs searchWarmUp() one step per timer tick, a little after start-up, so the person's first
 * search doesn't pay for compiling SQLite (nor for scanning lines not indexed yet). Stops at the
 * first failure (a closed or locked history: a real search will say why). Returns a cancel function.
 */
export function scheduleSearchWarmUp(store: WarmUpStore, timing: { delayMs: number; gapMs: number }): () => void {
  const steps = searchWarmUp(store);
  let timer: NodeJS.Timeout | null = null;
  let cancelled = false;
  const step = (): void => {
    timer = null;
    if (cancelled) return;
    try {
      if (steps.next().done) return;
    } catch {
      return;
    }
    if (cancelled) return;
    timer = setTimeout(step, timing.gapMs);
    timer.unref();
  };
  timer = setTimeout(step, timing.delayMs);
  timer.unref();
  return () => {
    cancelled = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
