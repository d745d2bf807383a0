import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryConversation, HistoryExportFormat, HistoryLine } from '../shared/history';
import { copyText } from './clipboard';
import { toConversationLine } from '../shared/conversation';
import { formatWhen, speakerOf, transcriptText } from './history-lines';
import type { ErrorLike } from './i18n';
import { Icon } from './icons';
import { MessageRow } from './message-row';
import { ToolCallRow } from './tool-call-row';
import type { HistoryActions } from './use-history';

interface HistoryConversationViewProps {
  id: number;
  actions: HistoryActions;
  /** A failure for the panel's alert, or null to clear it. */
  onProblem(error: ErrorLike | null): void;
  /** Back to the list; `deleted` asks it to reload. */
  onBack(deleted: boolean): void;
  /** The conversation is now the current one: the panel closes. */
  onContinued(): void;
}

/**
 * One past conversation, read-only: its lines drawn as in the live conversation (each with
 * its copy button), the whole of it copyable, and Continue, Export and Delete.
 */
export function HistoryConversationView({ id, actions, onProblem, onBack, onContinued }: HistoryConversationViewProps): ReactElement {
  const [conversation, setConversation] = useState<HistoryConversation | null>(null);
  const [busy, setBusy] = useState(false);
  /** What the last action did, as a key of src/shared/i18n/en-history.ts and its params. */
  const [status, setStatus] = useState<{ key: string; params?: Record<string, string> } | null>(null);
  const { t, i18n } = useTranslation();

  useEffect(() => {
    let current = true;
    void actions.getConversation(id).then((result) => {
      if (!current) return;
      if (result.ok) setConversation(result.data);
      else {
        onProblem(result.error);
        onBack(true);
      }
    });
    return () => {
      current = false;
    };
  }, [actions, id, onBack, onProblem]);

  /** Runs one action; its failure sentence goes to the panel's alert. Null when it failed. */
  const run = async <T,>(work: () => Promise<{ ok: true; data: T } | { ok: false; error: ErrorLike }>): Promise<{ data: T } | null> => {
    setBusy(true);
    onProblem(null);
    setStatus(null);
    const result = await work();
    setBusy(false);
    if (result.ok) return { data: result.data };
    onProblem(result.error);
    return null;
  };

  const exportAs = async (format: HistoryExportFormat) => {
    const saved = await run(() => actions.exportConversation(id, format));
    if (saved?.data.path) setStatus({ key: 'history.conversation.saved', params: { path: saved.data.path } });
  };

  if (conversation === null) return <div className="history__body" aria-busy="true" />;

  return (
    <div className="history__conversation">
      <div className="history__toolbar">
        <button type="button" className="button button--ghost" onClick={() => onBack(false)}>
          {t('history.conversation.back')}
        </button>
        <div className="button-row">
          <button
            type="button"
            className="button button--small"
            onClick={() => void copyText(transcriptText(conversation, t)).then((ok) => setStatus({ key: ok ? 'history.conversation.copied' : 'history.conversation.copyFailed' }))}
          >
            <Icon name="copy" />
            {t('history.conversation.copyAll')}
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => void exportAs('md')}>
            {t('history.conversation.exportMarkdown')}
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => void exportAs('json')}>
            {t('history.conversation.exportJson')}
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={busy}
            onClick={() => void run(() => actions.deleteConversation(id)).then((done) => done && onBack(true))}
          >
            <Icon name="trash" />
            {t('history.conversation.delete')}
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy}
            onClick={() => void run(() => actions.continueConversation(id)).then((done) => done && onContinued())}
          >
            {t('history.conversation.continue')}
          </button>
        </div>
      </div>
      <h3 className="history__conversation-title">{conversation.title || t('history.untitled')}</h3>
      <p className="history__meta">{formatWhen(conversation.startedAt, i18n.language)}</p>
      {status ? (
        <p className="history__status" role="status">
          {t(status.key, status.params)}
        </p>
      ) : null}
      <div className="history__lines">
        {conversation.lines.map((line) => (
          <StoredLineRow key={line.key} conversationId={conversation.id} line={line} />
        ))}
      </div>
    </div>
  );
}

function StoredLineRow({ conversationId, line }: { conversationId: number; line: HistoryLine }): ReactElement {
  const { t } = useTranslation();
  const shown = toConversationLine(conversationId, line);
  if (shown?.role === 'tool') return <ToolCallRow line={shown} />;
  if (shown) return <MessageRow line={shown} />;
  return (
    <p className="history__other-line">
      {/* The stored text stays React text: it is never put through Trans, which would read tags in it. */}
      <strong>{t('history.speakerLabel', { speaker: speakerOf(line, t) })}</strong> {line.text}
    </p>
  );
}
