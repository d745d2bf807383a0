import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationLine } from '../shared/conversation';
import { Icon } from './icons';
import { MessageRow } from './message-row';
import { ToolCallRow } from './tool-call-row';

/** Within this many pixels of the end counts as "at the bottom", so sub-pixel rounding does not unstick. */
const BOTTOM_SLACK_PX = 48;

interface ConversationViewProps {
  lines: ConversationLine[];
  /** Shown instead of the list while it is empty. */
  empty: ReactNode;
  /** After the last line: the approval cards of tool calls that wait for the user. */
  footer?: ReactNode;
}

/**
 * The scrolling conversation. It follows new text only while the reader is at the bottom:
 * someone who scrolled up to reread keeps their place and gets a "Jump to latest" button.
 */
export const ConversationView = memo(function ConversationView({ lines, empty, footer }: ConversationViewProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  // A ref, not state: the scroll handler and the layout effect must agree without a render in between.
  const stuck = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const { t } = useTranslation();

  const scrollToEnd = useCallback((behavior: ScrollBehavior) => {
    const element = scroller.current;
    if (element) element.scrollTo({ top: element.scrollHeight, behavior });
  }, []);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    stuck.current = bottom;
    setAtBottom(bottom);
  }, []);

  useLayoutEffect(() => {
    if (stuck.current) scrollToEnd('instant');
  }, [lines, scrollToEnd]);

  // Text that grows inside a row, and a window resize, change the height without a new `lines`.
  useEffect(() => {
    const element = content.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) scrollToEnd('instant');
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrollToEnd]);

  const latestFinal = findLatestFinal(lines);
  return (
    <section className="conversation" aria-label={t('conversation.label')}>
      <div className="conversation__scroller" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={t('conversation.history')}>
        <div className="conversation__content" ref={content}>
          {lines.length === 0 ? empty : lines.map((line) => (line.role === 'tool' ? <ToolCallRow key={line.itemId} line={line} /> : <MessageRow key={line.itemId} line={line} />))}
          {footer}
        </div>
      </div>
      {!atBottom && lines.length > 0 ? (
        <button
          type="button"
          className="jump-to-latest"
          onClick={() => {
            // Instant, not smooth: rows sized lazily (content-visibility) grow during a smooth
            // scroll, whose in-between scroll events would unstick the view short of the end.
            stuck.current = true;
            scrollToEnd('instant');
          }}
        >
          <Icon name="down" />
          {t('conversation.jumpToLatest')}
        </button>
      ) : null}
      {/* Screen readers hear each finished message once, not every streamed word. */}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {latestFinal ? t(latestFinal.role === 'user' ? 'conversation.youSaid' : 'conversation.parleySaid', { text: latestFinal.text }) : ''}
      </div>
    </section>
  );
});

function findLatestFinal(lines: ConversationLine[]): ConversationLine | undefined {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index];
    if (line && line.final && line.text) return line;
  }
  return undefined;
}
