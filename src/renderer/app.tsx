import { useCallback, useMemo, useState, type ReactElement } from 'react';
import type { ErrorAction } from '../shared/engine-events';
import { hotkeyWords } from '../shared/hotkey-grammar';
import type { Settings } from '../shared/settings';
import { Banners } from './banners';
import { ConversationView } from './conversation-view';
import { HistoryPanel } from './history-panel';
import { Icon } from './icons';
import { userPlatform } from './platform';
import { SettingsDialog } from './settings-dialog';
import { StatusBar } from './status-bar';
import { useParley } from './use-parley';

/** OpenAI's own endpoint needs a key; a self-hosted server may not. */
function needsApiKey(settings: Settings): boolean {
  if (settings.backend !== 'realtime') return false;
  try {
    return new URL(settings.realtime.url).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

export function App(): ReactElement {
  const { state, actions } = useParley();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const openSettings = useCallback(() => setSettingsOpen(true), []);

  const onAction = useCallback(
    (action: ErrorAction) => {
      if (action === 'open-settings') setSettingsOpen(true);
      else void actions.retryLastTurn();
    },
    [actions],
  );

  const hotkeySetting = state.settings?.hotkey ?? 'F9';
  // The words a person reads ("Right Ctrl"); the raw string if the hotkey module cannot read it.
  const hotkey = hotkeyWords(hotkeySetting, userPlatform()) ?? hotkeySetting;
  const firstRun = state.settings !== null && !state.hasApiKey && needsApiKey(state.settings);
  const empty = useMemo(
    () => (firstRun ? <Welcome onOpenSettings={openSettings} /> : <EmptyConversation hotkey={hotkey} />),
    [firstRun, hotkey, openSettings],
  );

  if (state.loadError) {
    return (
      <main className="app app--failed">
        <Banners errors={[{ id: 0, type: 'error', code: 'internal', message: state.loadError }]} notice={null} onAction={onAction} onDismissError={() => undefined} onDismissNotice={() => undefined} />
      </main>
    );
  }

  return (
    <div className="app" aria-busy={!state.loaded}>
      <header className="app-header">
        <h1 className="app-header__title">
          <span className="app-header__mark" aria-hidden="true" />
          Parley
        </h1>
        <div className="app-header__actions">
          {state.lines.length > 0 ? (
            confirmClear ? (
              <span className="confirm" role="group" aria-label="Clear the conversation?">
                <span className="confirm__text">Clear the conversation?</span>
                <button
                  type="button"
                  className="button button--small button--danger"
                  onClick={() => {
                    setConfirmClear(false);
                    void actions.clearConversation();
                  }}
                >
                  Clear
                </button>
                <button type="button" className="button button--small" autoFocus onClick={() => setConfirmClear(false)}>
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="button button--ghost" onClick={() => setConfirmClear(true)}>
                <Icon name="trash" />
                Clear
              </button>
            )
          ) : null}
          <button type="button" className="button button--ghost" onClick={() => setHistoryOpen(true)} aria-haspopup="dialog">
            <Icon name="history" />
            History
          </button>
          <button type="button" className="button button--ghost" onClick={openSettings} aria-haspopup="dialog">
            <Icon name="settings" />
            Settings
          </button>
        </div>
      </header>
      <Banners
        errors={state.errors}
        notice={state.notice}
        onAction={onAction}
        onDismissError={actions.dismissError}
        onDismissNotice={actions.dismissNotice}
      />
      <main className="app-main">{state.loaded ? <ConversationView lines={state.lines} empty={empty} /> : null}</main>
      <StatusBar state={state.state} level={state.level} hotkey={hotkey} />
      {historyOpen ? (
        <HistoryPanel
          onClose={() => setHistoryOpen(false)}
          onOpenSettings={() => {
            setHistoryOpen(false);
            setSettingsOpen(true);
          }}
        />
      ) : null}
      {settingsOpen && state.settings ? (
        <SettingsDialog settings={state.settings} hasApiKey={state.hasApiKey} level={state.level} actions={actions} onClose={() => setSettingsOpen(false)} />
      ) : null}
    </div>
  );
}

function Welcome({ onOpenSettings }: { onOpenSettings(): void }): ReactElement {
  return (
    <div className="welcome">
      <h2>Welcome to Parley</h2>
      <p>Parley talks to OpenAI&apos;s Realtime API. To begin, add your API key in Settings. It is stored encrypted on this computer.</p>
      <button type="button" className="button button--primary" onClick={onOpenSettings}>
        <Icon name="settings" />
        Open settings
      </button>
    </div>
  );
}

function EmptyConversation({ hotkey }: { hotkey: string }): ReactElement {
  return (
    <div className="empty">
      <Icon name="mic" className="empty__icon" />
      <p>
        Hold <kbd>{hotkey}</kbd> and speak. Let go when you are done.
      </p>
      <p className="empty__aside">The key works from any window, even when Parley is hidden.</p>
    </div>
  );
}
