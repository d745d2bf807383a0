import type { i18n, TFunction } from 'i18next';
import { createI18n } from '../../shared/i18n/create-i18n';
import type { Language } from '../../shared/i18n/languages';

/** One i18next instance per language, made the first time the history words something in it. */
const instances = new Map<Language, i18n>();

/** The translate function for `language`: the history's sentences (English) and its Markdown exports. */
export function historyWords(language: Language): TFunction {
  let instance = instances.get(language);
  if (!instance) {
    instance = createI18n(language);
    instances.set(language, instance);
  }
  return instance.t;
}
