import { useEffect } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { createI18n } from '../shared/i18n/create-i18n';
import { resolveLanguage, type LanguageSetting } from '../shared/i18n/languages';
import type { IpcFailure } from '../shared/ipc';

/**
 * The window's i18next instance. It starts in the OS language (the settings arrive later,
 * with the snapshot) and components read it through react-i18next's `useTranslation`.
 */
export const i18n = createI18n(resolveLanguage('system', navigator.language), [initReactI18next]);

/** Follows the `language` setting live: switching it re-renders every translated component. */
export function useLanguageSetting(setting: LanguageSetting | undefined): void {
  useEffect(() => {
    const language = resolveLanguage(setting ?? 'system', navigator.language);
    document.documentElement.lang = language;
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [setting]);
}

export type ErrorLike = Pick<IpcFailure, 'message' | 'messageKey' | 'params'>;

/**
 * A problem the window finds itself (a field it checks), in the shape main's errors have:
 * its key, and the English sentence a keyed error always carries.
 */
export function windowError(messageKey: string, params?: Record<string, string | number>): ErrorLike {
  return { messageKey, params, message: i18n.t(messageKey, { ...params, lng: 'en' }) };
}

/**
 * An error's sentence in the window's language: the translation of its key when the
 * resources have one, else the English `message` the main process wrote.
 */
export function useErrorText(): (error: ErrorLike) => string {
  const { t, i18n: instance } = useTranslation();
  return (error) => (error.messageKey && instance.exists(error.messageKey) ? t(error.messageKey, error.params ?? {}) : error.message);
}
