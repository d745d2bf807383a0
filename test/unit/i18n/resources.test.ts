import { describe, expect, it } from 'vitest';
import { en } from '../../../src/shared/i18n/en';
import { resolveLanguage, RESOURCES } from '../../../src/shared/i18n/languages';
import { zhCN } from '../../../src/shared/i18n/zh-CN';

/** Every leaf as [dotted key, text]. */
function leaves(tree: object, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [[path, value]] : leaves(value as object, path);
  });
}

/** The {{placeholders}} and <tags> a text uses, sorted: the parts a translation must keep. */
function markers(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}|<\/?(\w+)>/g)].map((match) => match[0].replace(/\s/g, '')).sort();
}

describe('the translations', () => {
  const english = new Map(leaves(en));
  const chinese = new Map(leaves(zhCN));

  it('have the same keys in English and Simplified Chinese', () => {
    expect([...english.keys()].filter((key) => !chinese.has(key))).toEqual([]);
    expect([...chinese.keys()].filter((key) => !english.has(key))).toEqual([]);
  });

  it('keep the same placeholders and tags in both languages', () => {
    const differing = [...english].filter(([key, text]) => markers(text).join() !== markers(chinese.get(key) ?? '').join());
    expect(differing.map(([key]) => key)).toEqual([]);
  });

  it('leave no text empty, and translate the Chinese side', () => {
    expect([...english].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    expect([...chinese].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    // Text with no Chinese character is an English leftover, unless it is a name or a technical term.
    const untranslatedOnPurpose = new Set([
      'message.parley',
      'message.ariaParley',
      'settings.closeTitle',
      'tray.tooltip',
      'settings.audioPart.inputAudio',
      'settings.audioPart.audioUrl',
    ]);
    const leftovers = [...chinese].filter(([key, text]) => !/[\u4e00-\u9fff]/.test(text) && !untranslatedOnPurpose.has(key));
    expect(leftovers.map(([key]) => key)).toEqual([]);
  });

  it('are the resources i18next is given', () => {
    expect(RESOURCES.en.translation).toBe(en);
    expect(RESOURCES['zh-CN'].translation).toBe(zhCN);
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['system', 'zh-CN', 'zh-CN'],
    ['system', 'zh', 'zh-CN'],
    ['system', 'zh_CN', 'zh-CN'],
    ['system', 'zh-Hans-CN', 'zh-CN'],
    ['system', 'zh-TW', 'en'],
    ['system', 'en-US', 'en'],
    ['system', 'de-DE', 'en'],
    ['system', undefined, 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-US', 'zh-CN'],
  ] as const)('setting %s with locale %s shows %s', (setting, locale, expected) => {
    expect(resolveLanguage(setting, locale)).toBe(expected);
  });
});
