import { describe, expect, it } from 'vitest';
import type { HistoryConversation } from '../../../src/shared/history';
import { createI18n } from '../../../src/shared/i18n/create-i18n';
import { formatWhen, transcriptText } from '../../../src/renderer/history-lines';

/** The History panel's own words outside React: dates in the chosen language, speakers in the copied transcript. */
const AT = Date.parse('2026-11-20T09:15:00Z');

describe('formatWhen', () => {
  it('writes the date in the chosen language, not the OS locale', () => {
    expect(formatWhen(AT, 'zh-CN', 'en-US')).toMatch(/^2026年11月\d+日 \d{2}:\d{2}$/);
    expect(formatWhen(AT, 'en', 'zh-CN')).toMatch(/^Nov \d+, 2026, \d+:\d{2} [AP]M$/);
  });

  it('keeps the regional form of the OS locale when it is one of the chosen language', () => {
    expect(formatWhen(AT, 'en', 'en-GB')).toMatch(/^\d+ Nov 2026, \d{2}:\d{2}$/);
    expect(formatWhen(AT, 'zh-CN', 'zh-CN')).toMatch(/^2026年11月\d+日/);
  });
});

describe('transcriptText', () => {
  const conversation: HistoryConversation = {
    id: 1,
    title: 'Lisbon',
    startedAt: AT,
    lines: [
      { key: 'u', role: 'user', text: 'Sunny?', status: 'final', at: AT },
      { key: 'a', role: 'assistant', text: 'Yes.', status: 'final', at: AT },
      { key: 'blank', role: 'assistant', text: '  ', status: 'interrupted', at: AT },
      { key: 'e', role: 'error', text: 'The server dropped.', status: 'final', at: AT },
    ],
  };

  it('names the speakers in the language it is given, leaving out blank lines', () => {
    expect(transcriptText(conversation, createI18n('en').t)).toBe('You: Sunny?\n\nParley: Yes.\n\nError: The server dropped.');
    expect(transcriptText(conversation, createI18n('zh-CN').t)).toBe('你：Sunny?\n\nParley：Yes.\n\n错误：The server dropped.');
  });
});
