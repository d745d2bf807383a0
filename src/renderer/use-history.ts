import { useMemo } from 'react';
import type { Language } from '../shared/i18n/languages';
import type { ParleyApi } from '../shared/ipc';
import { callMain } from './call-main';
import { i18n } from './i18n';

/** The preload's history calls; the History panel uses them through `useHistoryActions`. */
export type HistoryCallName =
  | 'listHistory'
  | 'searchHistory'
  | 'getConversation'
  | 'deleteConversation'
  | 'deleteAllHistory'
  | 'continueConversation'
  | 'exportConversation';

export type HistoryActions = Pick<ParleyApi, HistoryCallName>;

/**
 * The History panel's connection to the main process, kept apart from useParley because
 * nothing here changes the app's state: a continued conversation arrives as an app event.
 */
export function useHistoryActions(): HistoryActions {
  return useMemo<HistoryActions>(() => {
    const api = () => window.parley;
    return {
      listHistory: () => callMain(() => api().listHistory()),
      searchHistory: (query) => callMain(() => api().searchHistory(query)),
      getConversation: (id) => callMain(() => api().getConversation(id)),
      deleteConversation: (id) => callMain(() => api().deleteConversation(id)),
      deleteAllHistory: () => callMain(() => api().deleteAllHistory()),
      continueConversation: (id) => callMain(() => api().continueConversation(id)),
      // Markdown is written in the window's language, whatever it is when the export is asked for.
      exportConversation: (id, format) => callMain(() => api().exportConversation(id, format, i18n.language as Language)),
    };
  }, []);
}
