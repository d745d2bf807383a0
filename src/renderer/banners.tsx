import type { ReactElement } from 'react';
import type { ErrorAction } from '../shared/engine-events';
import { Icon } from './icons';
import type { ShownError } from './parley-state';

const ACTION_LABEL: Record<ErrorAction, string> = {
  'open-settings': 'Open settings',
  retry: 'Retry',
};

interface BannersProps {
  errors: ShownError[];
  notice: string | null;
  onAction(action: ErrorAction): void;
  onDismissError(id: number): void;
  onDismissNotice(): void;
}

/** Problems as sentences, each with the one thing to do about it and a way to put it away. */
export function Banners({ errors, notice, onAction, onDismissError, onDismissNotice }: BannersProps): ReactElement | null {
  if (errors.length === 0 && !notice) return null;
  return (
    <div className="banners">
      {notice ? (
        <div className="banner banner--notice" role="status">
          <Icon name="info" className="banner__icon" />
          <p className="banner__message">{notice}</p>
          <DismissButton label="Dismiss notice" onClick={onDismissNotice} />
        </div>
      ) : null}
      {errors.map((error) => (
        <div key={error.id} className="banner banner--error" role="alert" data-code={error.code}>
          <Icon name="alert" className="banner__icon" />
          <p className="banner__message">{error.message}</p>
          {error.action ? (
            <button type="button" className="button button--small" onClick={() => onAction(error.action ?? 'retry')}>
              {ACTION_LABEL[error.action]}
            </button>
          ) : null}
          <DismissButton label="Dismiss message" onClick={() => onDismissError(error.id)} />
        </div>
      ))}
    </div>
  );
}

function DismissButton({ label, onClick }: { label: string; onClick(): void }): ReactElement {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={onClick}>
      <Icon name="close" />
    </button>
  );
}
