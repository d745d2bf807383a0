import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './form-fields';
import type { Result } from '../shared/ipc';
import { useErrorText } from './i18n';
import type { ParleyActions } from './use-parley';

interface ApiKeySectionProps {
  hasApiKey: boolean;
  actions: Pick<ParleyActions, 'setApiKey' | 'clearApiKey'>;
}

/**
 * The key is written once and never shown again: the window only learns whether one is
 * saved. It is saved on its own button, apart from the rest of the form.
 */
export function ApiKeySection({ hasApiKey, actions }: ApiKeySectionProps): ReactElement {
  const [replacing, setReplacing] = useState(false);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  const errorText = useErrorText();

  const run = async (work: () => Promise<Result<unknown>>) => {
    setBusy(true);
    const result = await work();
    setBusy(false);
    if (!result.ok) {
      setError(errorText(result.error));
      return;
    }
    setError(undefined);
    setKey('');
    setReplacing(false);
  };

  if (hasApiKey && !replacing) {
    return (
      <div className="api-key api-key--saved">
        <p className="api-key__status">
          <span className="dot dot--ok" aria-hidden="true" />
          {t('apiKey.saved')}
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={() => setReplacing(true)}>
            {t('apiKey.replace')}
          </button>
          <button type="button" className="button button--danger" disabled={busy} onClick={() => void run(() => actions.clearApiKey())}>
            {t('apiKey.remove')}
          </button>
        </div>
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  const save = () => {
    if (!key.trim()) {
      setError(t('apiKey.paste'));
      return;
    }
    void run(() => actions.setApiKey(key.trim()));
  };

  return (
    <div
      className="api-key"
      onKeyDown={(event) => {
        // Enter saves the key, not the whole settings form around it.
        if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
          event.preventDefault();
          save();
        }
      }}
    >
      <TextField
        id="api-key"
        label={t('apiKey.label')}
        type="password"
        value={key}
        onChange={(value) => {
          setKey(value);
          setError(undefined);
        }}
        placeholder="sk-…"
        error={error}
        hint={t('apiKey.hint')}
      />
      <div className="button-row">
        <button type="button" className="button button--primary" disabled={busy} onClick={save}>
          {t('apiKey.save')}
        </button>
        {replacing ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setReplacing(false);
              setKey('');
              setError(undefined);
            }}
          >
            {t('apiKey.cancel')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
