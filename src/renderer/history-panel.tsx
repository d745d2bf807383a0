import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryListing, HistorySearchMatch, HistorySummary } from '../shared/history';
import type { Result } from '../shared/ipc';
import { HistoryConversationView } from './history-conversation-view';
import { formatWhen } from './history-lines';
import { useErrorText, type ErrorLike } from './i18n';
import { Icon } from './icons';
import { useHistoryActions } from './use-history';
import './history-panel.css';

interface HistoryPanelProps {
  onClose(): void;
  onOpenSettings(): void;
}

/** Waits this long after the last keystroke before searching, so typing is not a query per key. */
const SEARCH_DELAY_MS = 200;

/**
 * Past conversations, in a modal dialog: the list (newest first), a search box whose hits
 * show the matched words highlighted, and one conversation opened read-only. Every failure
 * the main process reports (history off, a conversation deleted meanwhile) is shown as its
 * sentence in the panel's alert, translated when it has a key.
 */
export function HistoryPanel({ onClose, onOpenSettings }: HistoryPanelProps): ReactElement {
  const actions = useHistoryActions();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const dialog = useRef<HTMLDialogElement>(null);
  const [conversations, setConversations] = useState<HistorySummary[] | null>(null);
  const [keepHistory, setKeepHistory] = useState(true);
  const [query, setQuery] = useState('');
  /** The latest search's hits; shown only while the box has text in it. */
  const [found, setFound] = useState<{ query: string; matches: HistorySearchMatch[] } | null>(null);
  const shownSearch = query.trim() === '' ? null : found;
  const [openId, setOpenId] = useState<number | null>(null);
  const [problem, setProblem] = useState<ErrorLike | null>(null);
  const [confirmDeleteAll, setConfirmDeleteAll] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const showListing = useCallback((result: Result<HistoryListing>) => {
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    setConversations(result.data.conversations);
    setKeepHistory(result.data.keepHistory);
  }, []);
  const refresh = useCallback(() => actions.listHistory().then(showListing), [actions, showListing]);

  useEffect(() => {
    void actions.listHistory().then(showListing);
  }, [actions, showListing]);

  useEffect(() => {
    if (query.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      void actions.searchHistory(query).then((result) => {
        if (!current) return;
        if (result.ok) setFound({ query: query.trim(), matches: result.data });
        else setProblem(result.error);
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [actions, query]);

  const deleteAll = async () => {
    setConfirmDeleteAll(false);
    const result = await actions.deleteAllHistory();
    if (!result.ok) setProblem(result.error);
    setQuery('');
    await refresh();
  };

  // Stable, so the open conversation is fetched once, not again on every render of the panel.
  const closeConversation = useCallback(
    (deleted: boolean) => {
      setOpenId(null);
      if (deleted) void refresh();
    },
    [refresh],
  );

  return (
    <dialog
      ref={dialog}
      className="modal history"
      aria-labelledby="history-title"
      onCancel={(event) => {
        event.preventDefault();
        if (openId !== null) setOpenId(null);
        else onClose();
      }}
    >
      <header className="modal__header">
        <h2 id="history-title">{t('history.title')}</h2>
        <button type="button" className="icon-button" aria-label={t('history.close')} title={t('history.closeTitle')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {keepHistory ? null : (
        <p className="history__off" role="status">
          <Icon name="info" />
          <span>{t('history.keepOff')}</span>
          <button type="button" className="button button--small" onClick={onOpenSettings}>
            {t('history.openSettings')}
          </button>
        </p>
      )}
      {problem ? (
        <p className="history__problem" role="alert">
          <Icon name="alert" />
          <span>{errorText(problem)}</span>
          <button type="button" className="icon-button" aria-label={t('history.dismiss')} onClick={() => setProblem(null)}>
            <Icon name="close" />
          </button>
        </p>
      ) : null}
      {openId !== null ? (
        <HistoryConversationView id={openId} actions={actions} onProblem={setProblem} onBack={closeConversation} onContinued={onClose} />
      ) : (
        <>
          <div className="history__search">
            <label htmlFor="history-search" className="visually-hidden">
              {t('history.search')}
            </label>
            <input
              id="history-search"
              className="field__control"
              type="search"
              placeholder={t('history.searchPlaceholder')}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              autoFocus
            />
          </div>
          <div className="history__body">
            {shownSearch !== null ? (
              <SearchResults matches={shownSearch.matches} query={shownSearch.query} onOpen={setOpenId} />
            ) : (
              <ConversationList conversations={conversations} onOpen={setOpenId} />
            )}
          </div>
          <footer className="history__footer">
            {conversations && conversations.length > 0 ? (
              confirmDeleteAll ? (
                <span className="confirm" role="group" aria-label={t('history.deleteAllQuestion')}>
                  <span className="confirm__text">{t('history.deleteAllWarning')}</span>
                  <button type="button" className="button button--small button--danger" onClick={() => void deleteAll()}>
                    {t('history.deleteAllConfirm')}
                  </button>
                  <button type="button" className="button button--small" autoFocus onClick={() => setConfirmDeleteAll(false)}>
                    {t('history.keep')}
                  </button>
                </span>
              ) : (
                <button type="button" className="button button--ghost button--danger" onClick={() => setConfirmDeleteAll(true)}>
                  <Icon name="trash" />
                  {t('history.deleteAll')}
                </button>
              )
            ) : (
              <span />
            )}
          </footer>
        </>
      )}
    </dialog>
  );
}

function ConversationList({ conversations, onOpen }: { conversations: HistorySummary[] | null; onOpen(id: number): void }): ReactElement | null {
  const { t, i18n } = useTranslation();
  if (conversations === null) return null;
  if (conversations.length === 0) return <p className="history__empty">{t('history.empty')}</p>;
  return (
    <ul className="history__list" aria-label={t('history.list')}>
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <button type="button" className="history__item" onClick={() => onOpen(conversation.id)}>
            <span className="history__title">{conversation.title || t('history.untitled')}</span>
            <span className="history__meta">{t('history.lines', { when: formatWhen(conversation.startedAt, i18n.language), count: conversation.lineCount })}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function SearchResults({ matches, query, onOpen }: { matches: HistorySearchMatch[]; query: string; onOpen(id: number): void }): ReactElement {
  const { t, i18n } = useTranslation();
  // data-query says which search the hits belong to while a newer one is still on its way.
  if (matches.length === 0)
    return (
      <p className="history__empty" data-query={query}>
        {t('history.noMatches', { query })}
      </p>
    );
  return (
    <ul className="history__list" aria-label={t('history.results')} data-query={query}>
      {matches.map((match, index) => (
        <li key={`${match.conversationId}-${index}`}>
          <button type="button" className="history__item" onClick={() => onOpen(match.conversationId)}>
            <span className="history__title">{match.title || t('history.untitled')}</span>
            <span className="history__snippet">
              {/* Matched words are React text inside <mark>: stored text is never parsed as HTML. */}
              {match.parts.map((part, at) => (part.match ? <mark key={at}>{part.text}</mark> : <span key={at}>{part.text}</span>))}
            </span>
            <span className="history__meta">{formatWhen(match.at, i18n.language)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
