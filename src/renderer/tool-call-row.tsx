import { memo, type ReactElement } from 'react';
import type { ConversationLine } from '../shared/conversation';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons';

/**
 * A tool call inline in the conversation: one line ("Used lookup_order · orders"), expandable
 * to its arguments and result. Both are shown as text, never as markup: a tool's output is
 * whatever a server sent.
 */
export const ToolCallRow = memo(function ToolCallRow({ line }: { line: ConversationLine }): ReactElement | null {
  const { t } = useTranslation();
  const tool = line.tool;
  if (!tool) return null;
  const summary = t(`toolCall.${tool.status}`, { name: tool.name });
  const args = typeof tool.arguments === 'string' ? tool.arguments : JSON.stringify(tool.arguments, null, 2);
  return (
    <article className={`tool-call tool-call--${tool.status}`} data-item-id={line.itemId} aria-label={summary}>
      <details>
        <summary>
          <Icon name="tool" className="tool-call__icon" />
          <span className="tool-call__summary">
            {summary}
            {tool.server && tool.server !== 'parley' ? <span className="tool-call__server"> · {tool.server}</span> : null}
            {tool.status === 'running' ? <span className="tool-call__working" aria-hidden="true"> …</span> : null}
          </span>
        </summary>
        <div className="tool-call__detail">
          <p className="tool-call__label">{t('toolCall.arguments')}</p>
          <pre>{args}</pre>
          {tool.result !== undefined ? (
            <>
              <p className="tool-call__label">{t('toolCall.result')}</p>
              <pre>{tool.result}</pre>
            </>
          ) : null}
        </div>
      </details>
    </article>
  );
});
