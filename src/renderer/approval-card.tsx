import type { MouseEvent, ReactElement } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ApprovalChoice, ApprovalView } from '../shared/tool-view';
import { Icon } from './icons';
import './tools.css';

interface ApprovalCardsProps {
  approvals: ApprovalView[];
  onAnswer(callId: string, answer: ApprovalChoice): void;
}

/**
 * Tool calls that wait for the user, one card each: which tool, from which server, with which
 * arguments (as text: they come from the model), and three answers.
 *
 * Only a pointer click answers. The push-to-talk key can be any key, Space and Enter included,
 * and a key press on a focused button would click it: a keyboard "click" (detail 0) is ignored,
 * and no button takes focus by itself.
 */
export function ApprovalCards({ approvals, onAnswer }: ApprovalCardsProps): ReactElement | null {
  const { t } = useTranslation();
  if (approvals.length === 0) return null;
  return (
    <section className="approval-cards" aria-label={t('tools.approval.waiting')}>
      {approvals.map((approval) => (
        <ApprovalCard key={approval.callId} approval={approval} onAnswer={onAnswer} />
      ))}
    </section>
  );
}

function ApprovalCard({ approval, onAnswer }: { approval: ApprovalView; onAnswer: ApprovalCardsProps['onAnswer'] }): ReactElement {
  const { t } = useTranslation();
  const answer = (choice: ApprovalChoice) => (event: MouseEvent<HTMLButtonElement>) => {
    if (event.detail === 0) return;
    onAnswer(approval.callId, choice);
  };
  const titleId = `approval-${approval.callId}`;
  return (
    <article className="approval-card" role="group" aria-labelledby={titleId} data-call-id={approval.callId}>
      <p className="approval-card__title" id={titleId}>
        <Icon name="tool" className="tool-call__icon" />{' '}
        {/* Names come from the model and the server: as values, Trans escapes them before it reads the tags. */}
        <Trans
          i18nKey={approval.server === 'parley' ? 'tools.approval.fromParley' : 'tools.approval.fromServer'}
          values={{ name: approval.name, server: approval.server }}
          components={{ tool: <code /> }}
        />
      </p>
      {approval.description ? <p className="approval-card__description">{approval.description}</p> : null}
      <pre aria-label={t('tools.approval.arguments')}>{JSON.stringify(approval.arguments, null, 2)}</pre>
      <div className="button-row">
        <button type="button" className="button button--primary button--small" onClick={answer('allow-once')}>
          {t('tools.approval.allowOnce')}
        </button>
        <button type="button" className="button button--small" onClick={answer('always-allow')}>
          {t('tools.approval.alwaysAllow')}
        </button>
        <button type="button" className="button button--small button--danger" onClick={answer('deny')}>
          {t('tools.approval.deny')}
        </button>
      </div>
    </article>
  );
}
