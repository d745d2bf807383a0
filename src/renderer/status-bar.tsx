import { memo, type ReactElement } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AssistantState } from '../shared/engine-events';
import { Icon, type IconName } from './icons';
import { LevelMeter } from './level-meter';

const STATE_ICON: Record<AssistantState, IconName> = {
  connecting: 'connecting',
  idle: 'idle',
  listening: 'mic',
  thinking: 'thinking',
  'using-tool': 'tool',
  speaking: 'speaker',
  error: 'alert',
};

interface StatusBarProps {
  state: AssistantState;
  level: number;
  hotkey: string;
}

/** What the assistant is doing, said three ways (words, icon, colour) so colour is never the only cue. */
export const StatusBar = memo(function StatusBar({ state, level, hotkey }: StatusBarProps): ReactElement {
  const { t } = useTranslation();
  const hint = state === 'listening' ? 'status.hintSend' : state === 'speaking' ? 'status.hintInterrupt' : 'status.hintTalk';
  return (
    <footer className="status-bar">
      <div className={`status status--${state}`} role="status" aria-live="polite" data-state={state}>
        <Icon name={STATE_ICON[state]} className="status__icon" />
        <span className="status__label">{t(`state.${state}`)}</span>
      </div>
      {state === 'listening' ? <LevelMeter level={level} label={t('status.micLevel')} /> : null}
      <p className="status-bar__hint">
        <Trans i18nKey={hint} values={{ hotkey }} components={{ key: <kbd /> }} />
      </p>
    </footer>
  );
});
