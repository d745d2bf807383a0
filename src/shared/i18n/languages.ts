import { en } from './en';
import { zhCN } from './zh-CN';

/** The languages Parley speaks, as BCP 47 tags; English is the fallback and the language of logs. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The `language` setting: a language, or 'system' to follow the OS locale. */
export const LANGUAGE_SETTINGS = ['system', ...LANGUAGES] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

/** i18next resources: one namespace, `translation`, per language. */
export const RESOURCES = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
} as const;

/**
 * The language to show: the setting when it names one, else the OS locale
 * (`navigator.language` in the window, `app.getLocale()` in main). Any Chinese locale
 * other than a traditional one reads Simplified Chinese; everything else reads English.
 */
export function resolveLanguage(setting: LanguageSetting, locale: string | undefined): Language {
  if (setting !== 'system') return setting;
  const tag = (locale ?? '').toLowerCase().replace('_', '-');
  if (!tag.startsWith('zh')) return 'en';
  return /^zh-(tw|hk|mo|hant)/.test(tag) ? 'en' : 'zh-CN';
}
