import { useEffect, useMemo, useReducer } from 'react';
import type { EngineEvent } from '../shared/engine-events';
import type { AppEvent, ParleyApi, Result } from '../shared/ipc';
import type { ToolServerView } from '../shared/tool-view';
import { callMain as call, lostContact } from './call-main';
import { initialParleyState, parleyReducer, type ParleyState } from './parley-state';
import type { HistoryCallName } from './use-history';

/** The preload's calls (minus the two the hook itself uses, and history's: see use-history.ts), plus what only the window does. */
export interface ParleyActions extends Omit<ParleyApi, 'getSnapshot' | 'onEvents' | HistoryCallName> {
  dismissError(id: number): void;
  dismissNotice(): void;
}

/**
 * The window's one connection to the main process: it subscribes to engine events once,
 * folds them into state with a reducer, and wraps the preload's calls as actions.
 * Components receive what they need from here and never touch `window.parley` themselves.
 */
export function useParley(): { state: ParleyState; actions: ParleyActions } {
  const [state, dispatch] = useReducer(parleyReducer, initialParleyState);

  useEffect(() => {
    const api = window.parley;
    let snapshotApplied = false;
    let disposed = false;
    // Events that arrive before the snapshot wait for it, so the snapshot cannot overwrite them.
    const early: Array<EngineEvent | AppEvent> = [];
    const unsubscribe = api.onEvents((events) => {
      if (snapshotApplied) dispatch({ type: 'events', events });
      else early.push(...events);
    });
    api
      .getSnapshot()
      .then((result) => {
        if (disposed) return;
        if (!result.ok) {
          dispatch({ type: 'load-failed', error: result.error });
          return;
        }
        dispatch({ type: 'snapshot', snapshot: result.data });
        snapshotApplied = true;
        if (early.length > 0) dispatch({ type: 'events', events: early.splice(0) });
      })
      .catch((error: unknown) => {
        if (!disposed) dispatch({ type: 'load-failed', error: lostContact(error) });
      });
    return () => {
      disposed = true;
      unsubscribe();
    };
  }, []);

  const actions = useMemo<ParleyActions>(() => {
    const api = () => window.parley;
    return {
      async saveSettings(settings) {
        const result = await call(() => api().saveSettings(settings));
        if (result.ok) dispatch({ type: 'settings', settings: result.data });
        return result;
      },
      async setApiKey(key) {
        const result = await call(() => api().setApiKey(key));
        if (result.ok) dispatch({ type: 'api-key', hasApiKey: result.data.hasApiKey });
        return result;
      },
      async clearApiKey() {
        const result = await call(() => api().clearApiKey());
        if (result.ok) dispatch({ type: 'api-key', hasApiKey: result.data.hasApiKey });
        return result;
      },
      listDevices: () => call(() => api().listDevices()),
      startMicTest: (deviceName) => call(() => api().startMicTest(deviceName)),
      stopMicTest: () => call(() => api().stopMicTest()),
      async clearConversation() {
        const result = await call(() => api().clearConversation());
        if (result.ok) dispatch({ type: 'events', events: [{ type: 'conversation-cleared' }] });
        return result;
      },
      retryLastTurn: () => call(() => api().retryLastTurn()),
      openLink: (url) => call(() => api().openLink(url)),
      cancelTurn: () => call(() => api().cancelTurn()),
      openLogsFolder: () => call(() => api().openLogsFolder()),
      getDiagnostics: () => call(() => api().getDiagnostics()),
      // Tools: every answer carries the servers' new status, which the Tools section draws.
      getToolServers: () => withServers(call(() => api().getToolServers())),
      saveToolServers: (json) => withServers(call(() => api().saveToolServers(json))),
      removeToolServer: (name) => withServers(call(() => api().removeToolServer(name))),
      setToolEnabled: (server, tool, enabled) => withServers(call(() => api().setToolEnabled(server, tool, enabled))),
      async setToolCallTimeout(ms) {
        const result = await call(() => api().setToolCallTimeout(ms));
        if (result.ok) dispatch({ type: 'tool-call-timeout', callTimeoutMs: result.data.callTimeoutMs });
        return result;
      },
      async answerApproval(callId, answer) {
        const result = await call(() => api().answerApproval(callId, answer));
        // Answered, or no longer waiting: either way the card has nothing left to ask.
        dispatch({ type: 'approval-answered', callId });
        return result;
      },
      dismissError: (id) => dispatch({ type: 'dismiss-error', id }),
      dismissNotice: () => dispatch({ type: 'dismiss-notice' }),
    };
    async function withServers(pending: Promise<Result<ToolServerView[]>>): Promise<Result<ToolServerView[]>> {
      const result = await pending;
      if (result.ok) dispatch({ type: 'tool-servers', servers: result.data });
      return result;
    }
  }, []);

  return { state, actions };
}
