import type { ReactElement, ReactNode } from 'react';

/**
 * Labelled form controls. Every control has a visible label; a hint and an error, when
 * present, are tied to it with aria-describedby so a screen reader reads them with it.
 */

interface FieldFrameProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}

function FieldFrame({ id, label, hint, error, children }: FieldFrameProps): ReactElement {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: ReactNode;
  error?: string | undefined;
  type?: 'text' | 'url' | 'number' | 'password';
  placeholder?: string;
  multiline?: boolean;
  inputMode?: 'numeric' | 'url' | 'text';
  suffix?: string;
}

export function TextField(props: TextFieldProps): ReactElement {
  const { id, label, value, onChange, hint, error, type = 'text', placeholder, multiline, inputMode, suffix } = props;
  const common = {
    id,
    name: id,
    value,
    placeholder,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
    className: 'field__control',
    spellCheck: false,
  } as const;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {multiline ? (
        <textarea {...common} rows={4} spellCheck onChange={(event) => onChange(event.target.value)} />
      ) : (
        <div className="field__row">
          <input {...common} type={type} inputMode={inputMode} autoComplete="off" onChange={(event) => onChange(event.target.value)} />
          {suffix ? <span className="field__suffix">{suffix}</span> : null}
        </div>
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps<V extends string> {
  id: string;
  label: string;
  value: V;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange(value: V): void;
  hint?: ReactNode;
  error?: string | undefined;
}

export function SelectField<V extends string>({ id, label, value, options, onChange, hint, error }: SelectFieldProps<V>): ReactElement {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={id}
        className="field__control"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface CheckboxFieldProps {
  id: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: ReactNode;
}

export function CheckboxField({ id, label, checked, onChange, hint }: CheckboxFieldProps): ReactElement {
  return (
    <div className="field field--checkbox">
      <input
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        aria-describedby={describedBy(id, hint, undefined)}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div>
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
