import { continuedLines } from '../../shared/conversation';
import type { HistoryExportFormat } from '../../shared/history';
import type { AppEvent, IpcRoute } from '../../shared/ipc';
import { HistoryError } from '../history/history-error';
import { formatConversation, writeExport } from '../history/history-export';
import type { HistorySetup } from '../history/history-setup';
import { UserFacingError } from '../user-facing-error';
import type { SettingsStore } from '../settings/settings-file';
import type { EngineApi } from '../session/engine-api';
import { route, type IpcHandler } from './ipc-route';

type HistoryRoute = Extract<IpcRoute, `history.${string}`>;
export type HistoryHandlers = { [R in HistoryRoute]: IpcHandler<R> };

/** What the history routes touch: a part of the IPC handlers' dependencies. */
export interface HistoryHandlerDeps {
  engine: Pick<EngineApi, 'continueConversation'>;
  settingsStore: SettingsStore;
  pushEvent(event: AppEvent): void;
  history?: HistorySetup | null;
  chooseExportPath?(suggestedName: string): Promise<string | null>;
}

/**
 * The History panel's routes. Every store failure is a HistoryError whose message is already
 * a sentence for the user, with its key; here it becomes a UserFacingError so the window shows
 * it in the chosen language.
 */
export function createHistoryHandlers(deps: HistoryHandlerDeps): HistoryHandlers {
  const { settingsStore } = deps;

  /** The history, or a sentence saying why there is none. */
  function history(): HistorySetup {
    if (!deps.history) {
      throw new UserFacingError(
        'refused',
        'Parley could not open its history file when it started, so past conversations are not available in this session; restart Parley to try again.',
        { text: { key: 'errors.history.unavailable' } },
      );
    }
    return deps.history;
  }

  function guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asUserFacing(error);
    }
  }

  return {
    'history.list': route('history.list', async () => ({
      conversations: guarded(() => history().store.list()),
      keepHistory: settingsStore.current.keepHistory,
    })),

    'history.search': route('history.search', async ({ query }) => guarded(() => history().store.search(query))),

    'history.get': route('history.get', async ({ id }) => guarded(() => history().store.get(id))),

    'history.delete': route('history.delete', async ({ id }) => {
      guarded(() => history().store.delete(id));
      return null;
    }),

    'history.deleteAll': route('history.deleteAll', async () => {
      guarded(() => history().store.deleteAll());
      // The conversation on screen is gone from the file too: its next line starts a new one.
      deps.history?.recorder.startNewConversation();
      return null;
    }),

    'history.continue': route('history.continue', async ({ id }) => {
      if (!settingsStore.current.keepHistory) {
        throw new UserFacingError('refused', 'Keep history is off, so new turns could not be added to that conversation; turn it on in Settings to continue it.', {
          text: { key: 'errors.history.keepHistoryOff' },
        });
      }
      const { store, recorder } = history();
      const conversation = guarded(() => store.get(id));
      guarded(() => recorder.continueConversation(id));
      // The engine's conversation, and so the model's memory, goes on from the stored words.
      deps.engine.continueConversation(continuedLines(conversation));
      deps.pushEvent({ type: 'conversation-continued', conversation });
      return conversation;
    }),

    'history.export': route('history.export', async ({ id, format, language }) => {
      const conversation = guarded(() => history().store.get(id));
      if (!deps.chooseExportPath) {
        throw new UserFacingError('refused', 'This window has no save dialog, so Parley cannot export from it; use `npm run -s history -- export` instead.', {
          text: { key: 'errors.history.noSaveDialog' },
        });
      }
      const path = await deps.chooseExportPath(suggestedExportName(conversation.title, conversation.startedAt, format));
      if (path === null) return { path: null };
      try {
        await writeExport(path, formatConversation(conversation, format, language));
      } catch (error) {
        throw asUserFacing(error);
      }
      return { path };
    }),
  };
}

function asUserFacing(error: unknown): unknown {
  return error instanceof HistoryError ? new UserFacingError('refused', error.message, { cause: error, text: error.text }) : error;
}

/** `parley-2026-11-27-what-is-the-weather.md`: the date, then the title's words (any script). */
export function suggestedExportName(title: string, startedAt: number, format: HistoryExportFormat): string {
  const date = new Date(startedAt).toISOString().slice(0, 10);
  const words = [...title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').toLowerCase()].slice(0, 40).join('').replace(/-+$/, '');
  return `parley-${date}${words ? `-${words}` : ''}.${format}`;
}
