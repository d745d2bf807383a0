import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorAction } from '../shared/engine-events';
import { useErrorText } from './i18n';
import { Icon } from './icons';
import type { Notice, ShownError } from './parley-state';

const ACTION_LABEL_KEY: Record<ErrorAction, string> = {
  'open-settings': 'banner.openSettings',
  retry: 'banner.retry',
};

interface BannersProps {
  errors: ShownError[];
  notice: Notice | null;
  onAction(action: ErrorAction): void;
  onDismissError(id: number): void;
  onDismissNotice(): void;
}

/** Problems as sentences, each with the one thing to do about it and a way to put it away. */
export function Banners({ errors, notice, onAction, onDismissError, onDismissNotice }: BannersProps): ReactElement | null {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (errors.length === 0 && !notice) return null;
  return (
    <div className="banners">
      {notice ? (
        <div className="banner banner--notice" role="status">
          <Icon name="info" className="banner__icon" />
          <p className="banner__message">{errorText(notice)}</p>
          <DismissButton label={t('banner.dismissNotice')} onClick={onDismissNotice} />
        </div>
      ) : null}
      {errors.map((error) => (
        <div key={error.id} className="banner banner--error" role="alert" data-code={error.code}>
          <Icon name="alert" className="banner__icon" />
          <p className="banner__message">{errorText(error)}</p>
          {error.action ? (
            <button type="button" className="button button--small" onClick={() => onAction(error.action ?? 'retry')}>
              {t(ACTION_LABEL_KEY[error.action])}
            </button>
          ) : null}
          <DismissButton label={t('banner.dismissMessage')} onClick={() => onDismissError(error.id)} />
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
