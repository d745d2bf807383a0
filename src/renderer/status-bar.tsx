import { memo, type ReactElement } from 'react';
import type { AssistantState } from '../shared/engine-events';
import { Icon, type IconName } from './icons';
import { LevelMeter } from './level-meter';

const STATE_LOOK: Record<AssistantState, { label: string; icon: IconName }> = {
  connecting: { label: 'Connecting…', icon: 'connecting' },
  idle: { label: 'Ready', icon: 'idle' },
  listening: { label: 'Listening', icon: 'mic' },
  thinking: { label: 'Thinking…', icon: 'thinking' },
  speaking: { label: 'Speaking', icon: 'speaker' },
  error: { label: 'Needs attention', icon: 'alert' },
};

interface StatusBarProps {
  state: AssistantState;
  level: number;
  hotkey: string;
}

/** What the assistant is doing, said three ways (words, icon, colour) so colour is never the only cue. */
export const StatusBar = memo(function StatusBar({ state, level, hotkey }: StatusBarProps): ReactElement {
  const look = STATE_LOOK[state];
  const [verb, purpose] = state === 'listening' ? ['Release', 'to send'] : state === 'speaking' ? ['Hold', 'to interrupt'] : ['Hold', 'to talk'];
  return (
    <footer className="status-bar">
      <div className={`status status--${state}`} role="status" aria-live="polite" data-state={state}>
        <Icon name={look.icon} className="status__icon" />
        <span className="status__label">{look.label}</span>
      </div>
      {state === 'listening' ? <LevelMeter level={level} label="Microphone level" /> : null}
      <p className="status-bar__hint">
        {verb} <kbd>{hotkey}</kbd> {purpose}
      </p>
    </footer>
  );
});
