import { applyToolEvent, applyTranscript, continuedLines, type ConversationLine } from '../shared/conversation';
import type { AssistantState, EngineEvent, ErrorEvent } from '../shared/engine-events';
import type { AppEvent, AppSnapshot, IpcFailure } from '../shared/ipc';
import type { Settings } from '../shared/settings';
import type { ApprovalView, ToolServerView } from '../shared/tool-view';

/** A notice's sentence, with its key when the window can translate it (see useErrorText). */
export type Notice = Pick<IpcFailure, 'message' | 'messageKey' | 'params'>;

/** An error event as the banner shows it; `id` lets the user dismiss one of several. */
export interface ShownError extends ErrorEvent {
  id: number;
}

export interface ParleyState {
  /** False until the first snapshot arrives: the window draws a quiet placeholder meanwhile. */
  loaded: boolean;
  /** Set when the snapshot itself failed, which leaves nothing else to draw. */
  loadError: IpcFailure | null;
  state: AssistantState;
  lines: ConversationLine[];
  level: number;
  errors: ShownError[];
  settings: Settings | null;
  hasApiKey: boolean;
  notice: Notice | null;
  nextErrorId: number;
  /** The Tools settings' servers; null until asked for. */
  toolServers: ToolServerView[] | null;
  /** Tool calls waiting for the user's answer. */
  approvals: ApprovalView[];
}

export type ParleyAction =
  | { type: 'snapshot'; snapshot: AppSnapshot }
  | { type: 'load-failed'; error: IpcFailure }
  | { type: 'events'; events: Array<EngineEvent | AppEvent> }
  | { type: 'settings'; settings: Settings; hasApiKey?: boolean }
  | { type: 'api-key'; hasApiKey: boolean }
  | { type: 'dismiss-error'; id: number }
  | { type: 'dismiss-notice' }
  | { type: 'tool-servers'; servers: ToolServerView[] }
  | { type: 'approval-answered'; callId: string }
  | { type: 'tool-call-timeout'; callTimeoutMs: number };

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
  toolServers: null,
  approvals: [],
};

/** States in which a turn reached the server, so earlier connection trouble is over. */
const PROGRESS_STATES: ReadonlySet<AssistantState> = new Set(['thinking', 'using-tool', 'speaking']);
const MAX_ERRORS = 3;

export function parleyReducer(current: ParleyState, action: ParleyAction): ParleyState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      const loaded: ParleyState = {
        ...current,
        loaded: true,
        loadError: null,
        state: snapshot.state,
        lines: snapshot.lines,
        settings: snapshot.settings,
        hasApiKey: snapshot.hasApiKey,
        notice: snapshot.notice === null ? null : { message: snapshot.notice },
        approvals: snapshot.approvals ?? [],
      };
      // The engine said why at start-up, perhaps before this window listened: the snapshot says it again.
      return snapshot.keyProblem ? applyEvent(loaded, { type: 'error', ...snapshot.keyProblem }) : loaded;
    }
    case 'load-failed':
      return { ...current, loadError: action.error };
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
    case 'tool-servers':
      return { ...current, toolServers: action.servers };
    case 'approval-answered':
      return withoutApproval(current, action.callId);
    case 'tool-call-timeout':
      return current.settings ? { ...current, settings: { ...current.settings, tools: { ...current.settings.tools, callTimeoutMs: action.callTimeoutMs } } } : current;
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
      // A call that reached a final status asks nothing any more.
      return { ...(event.status === 'running' ? current : withoutApproval(current, event.callId)), lines: applyToolEvent(current.lines, event) };
    case 'level':
      return { ...current, level: Math.min(1, Math.max(0, event.level)) };
    case 'error': {
      // The same kind of problem reported again replaces the older banner instead of stacking.
      const others = current.errors.filter((error) => error.code !== event.code);
      const shown: ShownError = { ...event, id: current.nextErrorId };
      return { ...current, errors: [...others, shown].slice(-MAX_ERRORS), nextErrorId: current.nextErrorId + 1 };
    }
    case 'settings': {
      // A usable key now: a banner saying there is none (or that it would not unlock) is out of date.
      const errors = event.hasApiKey ? current.errors.filter((error) => error.code !== 'no-api-key') : current.errors;
      const next = { ...current, settings: event.settings, hasApiKey: event.hasApiKey, errors };
      return event.keyProblem ? applyEvent(next, { type: 'error', ...event.keyProblem }) : next;
    }
    case 'conversation-cleared':
      return { ...current, lines: [] };
    case 'notice': {
      const { type: _type, ...notice } = event;
      return { ...current, notice };
    }
    case 'tool-servers':
      return { ...current, toolServers: event.servers };
    case 'approval': {
      const { type: _type, ...approval } = event;
      return { ...withoutApproval(current, approval.callId), approvals: [...withoutApproval(current, approval.callId).approvals, approval] };
    }
    case 'approval-withdrawn':
      return withoutApproval(current, event.callId);
    case 'conversation-continued':
      return { ...current, lines: continuedLines(event.conversation) };
  }
}

function withoutApproval(current: ParleyState, callId: string): ParleyState {
  return current.approvals.some((approval) => approval.callId === callId) ? { ...current, approvals: current.approvals.filter((approval) => approval.callId !== callId) } : current;
}
