import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/shared/i18n/create-i18n';
import { en } from '../../../src/shared/i18n/en';
import { enErrors } from '../../../src/shared/i18n/en-errors';
import { enHistory } from '../../../src/shared/i18n/en-history';
import { enTools } from '../../../src/shared/i18n/en-tools';
import { resolveLanguage, RESOURCES } from '../../../src/shared/i18n/languages';
import { zhCN } from '../../../src/shared/i18n/zh-CN';
import { zhCNErrors } from '../../../src/shared/i18n/zh-CN-errors';
import { zhCNHistory } from '../../../src/shared/i18n/zh-CN-history';
import { zhCNTools } from '../../../src/shared/i18n/zh-CN-tools';

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
      'history.speaker.assistant',
      'history.line',
      'history.speakerLabel',
      'settings.closeTitle',
      'tray.tooltip',
      'settings.audioPart.inputAudio',
      'settings.audioPart.audioUrl',
    ]);
    const leftovers = [...chinese].filter(([key, text]) => !/[\u4e00-\u9fff]/.test(text) && !untranslatedOnPurpose.has(key));
    expect(leftovers.map(([key]) => key)).toEqual([]);
  });

  it('are the resources i18next is given, the split-out files included', () => {
    expect(RESOURCES.en.translation).toBe(en);
    expect(RESOURCES['zh-CN'].translation).toBe(zhCN);
    // The checks above walk en and zhCN: each split-out file is covered only while it hangs there.
    expect([en.errors, en.history, en.tools]).toEqual([enErrors, enHistory, enTools]);
    expect([zhCN.errors, zhCN.history, zhCN.tools]).toEqual([zhCNErrors, zhCNHistory, zhCNTools]);
  });

  it("pick the history list's plural form by count", () => {
    const english = createI18n('en');
    const chinese = createI18n('zh-CN');
    expect(english.t('history.lines', { when: 'today', count: 1 })).toBe('today · 1 line');
    expect(english.t('history.lines', { when: 'today', count: 2 })).toBe('today · 2 lines');
    expect(chinese.t('history.lines', { when: '今天', count: 1 })).toBe('今天 · 1 条消息');
    expect(chinese.t('history.lines', { when: '今天', count: 2 })).toBe('今天 · 2 条消息');
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
