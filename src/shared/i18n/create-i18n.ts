import i18next, { type i18n, type Module } from 'i18next';
import { RESOURCES, type Language } from './languages';

/**
 * A plain i18next instance over Parley's resources, synchronous (the resources are bundled,
 * nothing loads). Main uses it as is for the tray; the window adds react-i18next as a plugin.
 */
export function createI18n(language: Language, plugins: Module[] = []): i18n {
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init({
    resources: RESOURCES,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-CN'],
    initAsync: false,
    // React escapes what it renders, and the tray is not HTML: i18next must not escape too.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
