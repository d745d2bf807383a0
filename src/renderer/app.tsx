import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ErrorAction } from '../shared/engine-events';
import { hotkeyWords } from '../shared/hotkey-grammar';
import type { Settings } from '../shared/settings';
import { ApprovalCards } from './approval-card';
import { Banners } from './banners';
import { ConversationView } from './conversation-view';
import { useLanguageSetting } from './i18n';
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
  const { t } = useTranslation();
  useLanguageSetting(state.settings?.language);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  useEscapeCancelsRecording(state.state === 'listening' && !settingsOpen, actions.cancelTurn);

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

  // Tool calls waiting for an answer sit at the end of the conversation.
  const approvalCards = useMemo(() => <ApprovalCards approvals={state.approvals} onAnswer={(callId, answer) => void actions.answerApproval(callId, answer)} />, [state.approvals, actions]);

  if (state.loadError) {
    return (
      <main className="app app--failed">
        <Banners errors={[{ id: 0, type: 'error', ...state.loadError }]} notice={null} onAction={onAction} onDismissError={() => undefined} onDismissNotice={() => undefined} />
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
              <span className="confirm" role="group" aria-label={t('app.clearQuestion')}>
                <span className="confirm__text">{t('app.clearQuestion')}</span>
                <button
                  type="button"
                  className="button button--small button--danger"
                  onClick={() => {
                    setConfirmClear(false);
                    void actions.clearConversation();
                  }}
                >
                  {t('app.clearConfirm')}
                </button>
                <button type="button" className="button button--small" autoFocus onClick={() => setConfirmClear(false)}>
                  {t('app.keep')}
                </button>
              </span>
            ) : (
              <button type="button" className="button button--ghost" onClick={() => setConfirmClear(true)}>
                <Icon name="trash" />
                {t('app.clear')}
              </button>
            )
          ) : null}
          <button type="button" className="button button--ghost" onClick={() => setHistoryOpen(true)} aria-haspopup="dialog">
            <Icon name="history" />
            {t('app.history')}
          </button>
          <button type="button" className="button button--ghost" onClick={openSettings} aria-haspopup="dialog">
            <Icon name="settings" />
            {t('app.settings')}
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
      <main className="app-main">{state.loaded ? <ConversationView lines={state.lines} empty={empty} footer={approvalCards} /> : null}</main>
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
        <SettingsDialog settings={state.settings} toolServers={state.toolServers} hasApiKey={state.hasApiKey} level={state.level} actions={actions} onClose={() => setSettingsOpen(false)} />
      ) : null}
    </div>
  );
}

function Welcome({ onOpenSettings }: { onOpenSettings(): void }): ReactElement {
  const { t } = useTranslation();
  return (
    <div className="welcome">
      <h2>{t('welcome.title')}</h2>
      <p>{t('welcome.body')}</p>
      <button type="button" className="button button--primary" onClick={onOpenSettings}>
        <Icon name="settings" />
        {t('welcome.openSettings')}
      </button>
    </div>
  );
}

function EmptyConversation({ hotkey }: { hotkey: string }): ReactElement {
  const { t } = useTranslation();
  return (
    <div className="empty">
      <Icon name="mic" className="empty__icon" />
      <p>
        <Trans i18nKey="empty.hold" values={{ hotkey }} components={{ key: <kbd /> }} />
      </p>
      <p className="empty__aside">{t('empty.anyWindow')}</p>
    </div>
  );
}

/** Escape in the window drops the question being recorded (toggle mode's way back out), sending nothing. */
function useEscapeCancelsRecording(active: boolean, cancel: () => unknown): void {
  useEffect(() => {
    if (!active) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') void cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, cancel]);
}
