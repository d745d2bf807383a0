import { expect } from 'vitest';
import type { IpcFailure } from '../../../src/shared/ipc';
import { createI18n } from '../../../src/shared/i18n/create-i18n';

/**
 * Keyed errors keep two texts in step: the English `message` written in code (headless mode,
 * logs) and the template in src/shared/i18n that the window renders. Rendering the template
 * with the error's params must give the message exactly, or the window and the log would say
 * different things; and the Chinese must be a real translation, with every placeholder filled.
 */
export const english = createI18n('en');
export const chinese = createI18n('zh-CN');

/** Checks one error (an engine event or an IPC failure), and its key when given; returns its Chinese sentence. */
export function expectKeyedTranslation(error: IpcFailure, expectedKey?: string): string {
  expect(error.messageKey, `"${error.message}" names its key`).toBeDefined();
  const key = error.messageKey!;
  if (expectedKey !== undefined) expect(key).toBe(expectedKey);
  expect(english.exists(key), `${key} is in en-errors.ts`).toBe(true);
  expect(chinese.exists(key, { fallbackLng: false }), `${key} is in zh-CN-errors.ts`).toBe(true);
  expect(english.t(key, error.params ?? {})).toBe(error.message);
  const translated = chinese.t(key, error.params ?? {});
  expect(translated).not.toBe(error.message);
  expect(translated).toMatch(/[\u4e00-\u9fff]/);
  expect(translated).not.toMatch(/\{\{|\$t\(/);
  return translated;
}
