import type { ConversationStore } from './conversation-store';

/**
 * Searches of every shape the indexes answer (trigram phrases in two scripts, one and two
 * characters, a query that matches nothing). Their results don't matter; running them does.
 */
export const WARM_UP_QUERIES: readonly string[] = ['the weather', 'tomorrow morning', '天气很好', '天气', '天', 'e', 'th', 'qzx', '明天会下雨吗', 'ok'];

/**
 * V8 runs WebAssembly in its baseline compiler until a function is hot, so the first dozen
 * searches of a session took 30–90 ms each in node-sqlite3-wasm against 2–6 ms once warm
 * (measured with the bench's query mix: its p95 CPU went from about 30 ms to 15 ms after ten
 * such searches). This runs the searches above one per timer tick, a little after start-up,
 * so the person's first search doesn't pay for compiling SQLite. Returns a cancel function.
 */
export function scheduleSearchWarmUp(store: Pick<ConversationStore, 'search'>, timing: { delayMs: number; gapMs: number }): () => void {
  let timer: NodeJS.Timeout | null = null;
  let cancelled = false;
  const step = (index: number): void => {
    timer = null;
    if (cancelled || index >= WARM_UP_QUERIES.length) return;
    try {
      store.search(WARM_UP_QUERIES[index]!, 50);
    } catch {
      return; // the history can't be searched now (closed, locked): a real search will say why
    }
    if (cancelled) return;
    timer = setTimeout(() => step(index + 1), timing.gapMs);
    timer.unref();
  };
  timer = setTimeout(() => step(0), timing.delayMs);
  timer.unref();
  return () => {
    cancelled = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
