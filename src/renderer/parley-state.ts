import { applyToolEvent, applyTranscript, type ConversationLine } from '../shared/conversation';
import type { AssistantState, EngineEvent, ErrorEvent } from '../shared/engine-events';
import type { AppEvent, AppSnapshot } from '../shared/ipc';
import type { Settings } from '../shared/settings';
import { continuedLines } from './history-lines';

/** An error event as the banner shows it; `id` lets the user dismiss one of several. */
export interface ShownError extends ErrorEvent {
  id: number;
}

export interface ParleyState {
  /** False until the first snapshot arrives: the window draws a quiet placeholder meanwhile. */
  loaded: boolean;
  /** Set when the snapshot itself failed, which leaves nothing else to draw. */
  loadError: string | null;
  state: AssistantState;
  lines: ConversationLine[];
  level: number;
  errors: ShownError[];
  settings: Settings | null;
  hasApiKey: boolean;
  notice: string | null;
  nextErrorId: number;
}

export type ParleyAction =
  | { type: 'snapshot'; snapshot: AppSnapshot }
  | { type: 'load-failed'; message: string }
  | { type: 'events'; events: Array<EngineEvent | AppEvent> }
  | { type: 'settings'; settings: Settings; hasApiKey?: boolean }
  | { type: 'api-key'; hasApiKey: boolean }
  | { type: 'dismiss-error'; id: number }
  | { type: 'dismiss-notice' };

export const initialParleyState: ParleyState = {
  loaded: false,
  loadError: null,
  state: 'connecting',
  lines: [],
  level: 0,
  errors: [],
  settings: null,
  hasApiKey: false,
  notice: null,
  nextErrorId: 1,
};

/** States in which a turn reached the server, so earlier connection trouble is over. */
const PROGRESS_STATES: ReadonlySet<AssistantState> = new Set(['thinking', 'using-tool', 'speaking']);
const MAX_ERRORS = 3;

export function parleyReducer(current: ParleyState, action: ParleyAction): ParleyState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      return {
        ...current,
        loaded: true,
        loadError: null,
        state: snapshot.state,
        lines: snapshot.lines,
        settings: snapshot.settings,
        hasApiKey: snapshot.hasApiKey,
        notice: snapshot.notice,
      };
    }
    case 'load-failed':
      return { ...current, loadError: action.message };
    case 'events':
      return action.events.reduce(applyEvent, current);
    case 'settings':
      return { ...current, settings: action.settings, hasApiKey: action.hasApiKey ?? current.hasApiKey };
    case 'api-key':
      return { ...current, hasApiKey: action.hasApiKey };
    case 'dismiss-error':
      return { ...current, errors: current.errors.filter((error) => error.id !== action.id) };
    case 'dismiss-notice':
      return { ...current, notice: null };
  }
}

function applyEvent(current: ParleyState, event: EngineEvent | AppEvent): ParleyState {
  switch (event.type) {
    case 'state':
      return {
        ...current,
        state: event.state,
        // The meter shows the live mic only while listening; a stale level would look stuck.
        level: event.state === 'listening' ? current.level : 0,
        errors: PROGRESS_STATES.has(event.state) ? [] : current.errors,
      };
    case 'transcript':
      return { ...current, lines: applyTranscript(current.lines, event) };
    case 'tool':
      return { ...current, lines: applyToolEvent(current.lines, event) };
    case 'level':
      return { ...current, level: Math.min(1, Math.max(0, event.level)) };
    case 'error': {
      // The same kind of problem reported again replaces the older banner instead of stacking.
      const others = current.errors.filter((error) => error.code !== event.code);
      const shown: ShownError = { ...event, id: current.nextErrorId };
      return { ...current, errors: [...others, shown].slice(-MAX_ERRORS), nextErrorId: current.nextErrorId + 1 };
    }
    case 'settings':
      return { ...current, settings: event.settings, hasApiKey: event.hasApiKey };
    case 'conversation-cleared':
      return { ...current, lines: [] };
    case 'conversation-continued':
      return { ...current, lines: continuedLines(event.conversation) };
  }
}
