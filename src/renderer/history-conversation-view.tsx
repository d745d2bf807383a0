import { useEffect, useState, type ReactElement } from 'react';
import type { HistoryConversation, HistoryExportFormat, HistoryLine } from '../shared/history';
import { copyText } from './clipboard';
import { toConversationLine } from '../shared/conversation';
import { formatWhen, speakerOf, transcriptText } from './history-lines';
import { Icon } from './icons';
import { MessageRow } from './message-row';
import { ToolCallRow } from './tool-call-row';
import type { HistoryActions } from './use-history';

interface HistoryConversationViewProps {
  id: number;
  actions: HistoryActions;
  onProblem(sentence: string | null): void;
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
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void actions.getConversation(id).then((result) => {
      if (!current) return;
      if (result.ok) setConversation(result.data);
      else {
        onProblem(result.error.message);
        onBack(true);
      }
    });
    return () => {
      current = false;
    };
  }, [actions, id, onBack, onProblem]);

  /** Runs one action; its failure sentence goes to the panel's alert. Null when it failed. */
  const run = async <T,>(work: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<{ data: T } | null> => {
    setBusy(true);
    onProblem(null);
    setStatus(null);
    const result = await work();
    setBusy(false);
    if (result.ok) return { data: result.data };
    onProblem(result.error.message);
    return null;
  };

  const exportAs = async (format: HistoryExportFormat) => {
    const saved = await run(() => actions.exportConversation(id, format));
    if (saved?.data.path) setStatus(`Saved to ${saved.data.path}`);
  };

  if (conversation === null) return <div className="history__body" aria-busy="true" />;

  return (
    <div className="history__conversation">
      <div className="history__toolbar">
        <button type="button" className="button button--ghost" onClick={() => onBack(false)}>
          ← All conversations
        </button>
        <div className="button-row">
          <button
            type="button"
            className="button button--small"
            onClick={() => void copyText(transcriptText(conversation)).then((ok) => setStatus(ok ? 'Copied the conversation.' : 'Parley could not reach the clipboard; select the text and copy it instead.'))}
          >
            <Icon name="copy" />
            Copy all
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => void exportAs('md')}>
            Export Markdown
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => void exportAs('json')}>
            Export JSON
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={busy}
            onClick={() => void run(() => actions.deleteConversation(id)).then((done) => done && onBack(true))}
          >
            <Icon name="trash" />
            Delete
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy}
            onClick={() => void run(() => actions.continueConversation(id)).then((done) => done && onContinued())}
          >
            Continue
          </button>
        </div>
      </div>
      <h3 className="history__conversation-title">{conversation.title || 'Untitled conversation'}</h3>
      <p className="history__meta">{formatWhen(conversation.startedAt)}</p>
      {status ? (
        <p className="history__status" role="status">
          {status}
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
  const shown = toConversationLine(conversationId, line);
  if (shown?.role === 'tool') return <ToolCallRow line={shown} />;
  if (shown) return <MessageRow line={shown} />;
  return (
    <p className="history__other-line">
      <strong>{speakerOf(line)}:</strong> {line.text}
    </p>
  );
}
