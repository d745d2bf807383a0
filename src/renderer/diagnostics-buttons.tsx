import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from './clipboard';
import { useErrorText } from './i18n';
import type { ParleyActions } from './use-parley';

/** *Open logs folder* and *Copy diagnostics*: what a bug report needs, secrets already removed by main. */
export function DiagnosticsButtons({ actions }: { actions: ParleyActions }): ReactElement {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [said, setSaid] = useState<string | null>(null);
  const copy = async () => {
    const result = await actions.getDiagnostics();
    if (!result.ok) return setSaid(errorText(result.error));
    setSaid((await copyText(result.data)) ? t('settings.desktop.copied') : t('settings.desktop.copyFailed'));
  };
  const open = async () => {
    const result = await actions.openLogsFolder();
    setSaid(result.ok ? null : errorText(result.error));
  };
  return (
    <div className="button-row">
      <button type="button" className="button" onClick={() => void open()}>
        {t('settings.desktop.openLogs')}
      </button>
      <button type="button" className="button" onClick={() => void copy()}>
        {t('settings.desktop.copyDiagnostics')}
      </button>
      {said ? (
        <p className="field__hint" role="status">
          {said}
        </p>
      ) : null}
    </div>
  );
}
