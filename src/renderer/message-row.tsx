import { memo, useEffect, useState, type ReactElement } from 'react';
import type { ConversationLine } from '../shared/conversation';
import { copyText } from './clipboard';
import { Icon } from './icons';

export function clipLabel(clipMs: number): string {
  return `Voice clip · ${(clipMs / 1000).toFixed(1)} s`;
}

/**
 * One turn of the conversation. Memoized on the line object: `applyTranscript` keeps
 * untouched lines identical, so a streaming reply re-renders only its own row.
 */
export const MessageRow = memo(function MessageRow({ line }: { line: ConversationLine }): ReactElement {
  const author = line.role === 'user' ? 'You' : 'Parley';
  const streaming = !line.final && !line.interrupted;
  return (
    <article
      className={`message message--${line.role}${streaming ? ' message--streaming' : ''}`}
      aria-label={`${author}${line.interrupted ? ', interrupted' : ''}${line.cutOff ? ', cut off' : ''}`}
      data-item-id={line.itemId}
    >
      <div className="message__meta">
        <span className="message__author">{author}</span>
        {line.interrupted ? (
          <span className="tag tag--interrupted" title="You interrupted this reply; it shows what you heard.">
            <Icon name="cut" />
            Interrupted
          </span>
        ) : null}
        {line.cutOff ? (
          <span className="tag tag--cut-off" title="The server stopped this reply at its length limit; it is not the whole answer.">
            <Icon name="cut" />
            Cut off
          </span>
        ) : null}
      </div>
      <div className="message__bubble">
        <MessageBody line={line} streaming={streaming} />
        {line.text ? <CopyButton text={line.text} author={author} /> : null}
      </div>
    </article>
  );
});

function MessageBody({ line, streaming }: { line: ConversationLine; streaming: boolean }): ReactElement {
  if (line.text) {
    return (
      <p className="message__text">
        {line.text}
        {streaming ? <span className="caret" aria-hidden="true" /> : null}
      </p>
    );
  }
  if (line.role === 'user' && line.clipMs !== undefined) {
    return (
      <p className="message__clip">
        <Icon name="mic" />
        {clipLabel(line.clipMs)}
      </p>
    );
  }
  if (line.interrupted) return <p className="message__placeholder">Interrupted before any words were heard.</p>;
  return (
    <p className="message__placeholder">
      <span className="dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="visually-hidden">{line.role === 'user' ? 'Transcribing' : 'Replying'}</span>
    </p>
  );
}

function CopyButton({ text, author }: { text: string; author: string }): ReactElement {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = window.setTimeout(() => setOutcome('idle'), 1500);
    return () => window.clearTimeout(timer);
  }, [outcome]);
  const label = outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Copy failed' : 'Copy';
  return (
    <button
      type="button"
      className={`message__copy${outcome === 'idle' ? '' : ' message__copy--shown'}`}
      aria-label={outcome === 'idle' ? (author === 'You' ? 'Copy your message' : `Copy ${author}'s message`) : label}
      title={label}
      onClick={() => {
        void copyText(text).then((ok) => setOutcome(ok ? 'copied' : 'failed'));
      }}
    >
      <Icon name={outcome === 'copied' ? 'check' : 'copy'} />
      <span className="message__copy-label">{label}</span>
    </button>
  );
}
