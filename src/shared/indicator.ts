import type { AssistantState } from './engine-events';
import type { Language } from './i18n/languages';

/**
 * Main → the on-screen indicator: `IndicatorUpdate`s, and nothing ever goes the other way. Here
 * rather than in ipc-channels.ts so the two preloads share no module: each must bundle into one
 * self-contained file for the sandbox.
 */
export const INDICATOR_CHANNEL = 'parley:indicator';

/** What the on-screen indicator shows: the state, the mic level while listening, and its language. */
export interface IndicatorUpdate {
  state: AssistantState;
  /** 0..1, while listening. */
  level: number;
  language: Language;
}

/** The states the indicator appears for: the ones in which something is happening. */
export const INDICATOR_STATES: ReadonlySet<AssistantState> = new Set(['listening', 'thinking', 'using-tool', 'speaking']);

/** `window.parleyIndicator`, from src/preload/indicator.ts: it can only receive. */
export interface IndicatorApi {
  onUpdate(listener: (update: IndicatorUpdate) => void): () => void;
}
