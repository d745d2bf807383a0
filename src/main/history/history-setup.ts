import type { EngineApi } from '../session/engine-api';
import { ConversationStore } from './conversation-store';
import type { MessageText } from '../user-facing-error';
import { HistoryError, historyNotice } from './history-error';
import { defaultDataDir } from './history-location';
import { HistoryRecorder } from './history-recorder';
import { scheduleSearchWarmUp } from './search-warm-up';

export interface HistorySetup {
  store: ConversationStore;
  recorder: HistoryRecorder;
  dispose(): void;
}

/**
 * The conversation history for a composition root: the store in `dataDir` (the desktop app's
 * user-data folder by default, so headless mode and the window share it) and a recorder on the
 * engine's events. Create it before the engine starts, so no event is missed. A store that
 * cannot be opened is said in `onNotice`, and Parley runs on without history. Each notice
 * comes with its key and values (`text`), for the window to say it in its language.
 */
export function setUpHistory(options: {
  dataDir: string | null;
  keepHistory: boolean;
  engine: Pick<EngineApi, 'onEvent'>;
  onNotice: (sentence: string, text?: MessageText) => void;
}): HistorySetup | null {
  let store: ConversationStore;
  try {
    store = ConversationStore.open(options.dataDir ?? defaultDataDir(), { writer: true });
  } catch (error) {
    const notice = error instanceof HistoryError ? error : historyNotice('notOpened', { detail: String(error) });
    options.onNotice(notice.message, notice.text);
    return null;
  }
  if (store.notice) options.onNotice(store.notice.message, store.notice.text);
  const recorder = new HistoryRecorder({
    store,
    subscribe: (listener) => options.engine.onEvent(listener),
    keepHistory: options.keepHistory,
    onNotice: options.onNotice,
  });
  // After start-up has settled; one search per tick, so the engine's events keep flowing.
  const cancelWarmUp = scheduleSearchWarmUp(store, { delayMs: 2000, gapMs: 50 });
  return {
    store,
    recorder,
    dispose: () => {
      cancelWarmUp();
      recorder.dispose();
      store.dispose();
    },
  };
}
