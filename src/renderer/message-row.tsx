import { memo, useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationLine } from '../shared/conversation';
import { copyText } from './clipboard';
import { Icon } from './icons';

/**
 * One turn of the conversation. Memoized on the line object: `applyTranscript` keeps
 * untouched lines identical, so a streaming reply re-renders only its own row.
 */
export const MessageRow = memo(function MessageRow({ line }: { line: ConversationLine }): ReactElement {
  const { t } = useTranslation();
  const mine = line.role === 'user';
  const author = t(mine ? 'message.you' : 'message.parley');
  const streaming = !line.final && !line.interrupted;
  return (
    <article
      className={`message message--${line.role}${streaming ? ' message--streaming' : ''}`}
      aria-label={`${author}${line.interrupted ? t('message.ariaInterrupted') : ''}${line.cutOff ? t('message.ariaCutOff') : ''}`}
      data-item-id={line.itemId}
    >
      <div className="message__meta">
        <span className="message__author">{author}</span>
        {line.interrupted ? (
          <span className="tag tag--interrupted" title={t('message.interruptedTitle')}>
            <Icon name="cut" />
            {t('message.interrupted')}
          </span>
        ) : null}
        {line.cutOff ? (
          <span className="tag tag--cut-off" title={t('message.cutOffTitle')}>
            <Icon name="cut" />
            {t('message.cutOff')}
          </span>
        ) : null}
      </div>
      <div className="message__bubble">
        <MessageBody line={line} streaming={streaming} />
        {line.text ? <CopyButton text={line.text} mine={mine} /> : null}
      </div>
    </article>
  );
});

function MessageBody({ line, streaming }: { line: ConversationLine; streaming: boolean }): ReactElement {
  const { t } = useTranslation();
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
        {t('message.clip', { seconds: (line.clipMs / 1000).toFixed(1) })}
      </p>
    );
  }
  if (line.interrupted) return <p className="message__placeholder">{t('message.interruptedEmpty')}</p>;
  return (
    <p className="message__placeholder">
      <span className="dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="visually-hidden">{t(line.role === 'user' ? 'message.transcribing' : 'message.replying')}</span>
    </p>
  );
}

function CopyButton({ text, mine }: { text: string; mine: boolean }): ReactElement {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = window.setTimeout(() => setOutcome('idle'), 1500);
    return () => window.clearTimeout(timer);
  }, [outcome]);
  const label = t(outcome === 'copied' ? 'message.copied' : outcome === 'failed' ? 'message.copyFailed' : 'message.copy');
  return (
    <button
      type="button"
      className={`message__copy${outcome === 'idle' ? '' : ' message__copy--shown'}`}
      aria-label={outcome === 'idle' ? t(mine ? 'message.copyYours' : 'message.copyParleys') : label}
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
