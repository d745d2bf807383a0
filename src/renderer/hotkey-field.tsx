import { useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { HotkeyRecorder, hotkeyWords } from '../shared/hotkey-grammar';
import { describedBy } from './form-fields';
import { userPlatform } from './platform';

interface HotkeyFieldProps {
  id: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
}

/**
 * Focus it and press the keys you want. Tab still moves on (the form stays usable from the
 * keyboard), Escape puts back the key you had, and a lone modifier becomes the hotkey when released.
 */
export function HotkeyField({ id, value, onChange, error }: HotkeyFieldProps): ReactElement {
  const [capturing, setCapturing] = useState(false);
  const before = useRef(value);
  const recorder = useRef(new HotkeyRecorder());
  const { t } = useTranslation();
  const words = hotkeyWords(value, userPlatform());
  const hint = capturing ? t('hotkey.capturing') : `${words ? t('hotkey.readsAs', { words }) : ''}${t('hotkey.howTo')}`;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) return;
    if (!capturing) {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        setCapturing(true);
      }
      return;
    }
    event.preventDefault();
    if (event.key === 'Escape') {
      // Handled here so the settings dialog stays open: Escape cancels the capture first.
      event.stopPropagation();
      onChange(before.current);
      setCapturing(false);
      return;
    }
    const hotkey = recorder.current.keydown(event);
    if (hotkey) onChange(hotkey);
  };

  const onKeyUp = (event: KeyboardEvent<HTMLInputElement>) => {
    if (!capturing) return;
    const hotkey = recorder.current.keyup(event);
    if (hotkey) onChange(hotkey);
  };

  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {t('hotkey.label')}
      </label>
      <input
        id={id}
        name={id}
        className={`field__control hotkey-input${capturing ? ' hotkey-input--capturing' : ''}`}
        readOnly
        value={value}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        onFocus={() => {
          before.current = value;
          recorder.current.reset();
          setCapturing(true);
        }}
        onBlur={() => setCapturing(false)}
        onKeyDown={onKeyDown}
        onKeyUp={onKeyUp}
      />
      <p className="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
