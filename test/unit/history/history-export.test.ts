import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/main/history/conversation-store';
import { conversationToJson, conversationToMarkdown, formatConversation } from '../../../src/main/history/history-export';
import { defaultDataDir } from '../../../src/main/history/history-location';

const conversation: Conversation = {
  id: 4,
  title: 'Weather in Oslo?',
  startedAt: Date.UTC(2026, 10, 27, 9, 0, 0),
  lines: [
    { key: 'u1', role: 'user', text: 'Weather in Oslo?', status: 'final', at: Date.UTC(2026, 10, 27, 9, 0, 0) },
    {
      key: 'tool:c1',
      role: 'tool',
      text: 'weather.forecast',
      status: 'final',
      at: Date.UTC(2026, 10, 27, 9, 0, 1),
      detail: { callId: 'c1', name: 'forecast', server: 'weather', toolStatus: 'done', arguments: { city: 'Oslo' }, result: 'rain' },
    },
    { key: 'a1', role: 'assistant', text: 'Rain all', status: 'interrupted', at: Date.UTC(2026, 10, 27, 9, 0, 2) },
    { key: 'u2', role: 'user', text: '', status: 'final', at: Date.UTC(2026, 10, 27, 9, 0, 3), detail: { clipMs: 2500 } },
    { key: 'a2', role: 'assistant', text: 'Tomorrow it', status: 'streaming', at: Date.UTC(2026, 10, 27, 9, 0, 4) },
    { key: 'e1', role: 'error', text: 'The connection dropped; press the key to try again.', status: 'final', at: Date.UTC(2026, 10, 27, 9, 0, 5), detail: { code: 'stream-broken' } },
  ],
};

describe('exporting a conversation', () => {
  it('as one JSON document with ISO times, exported statuses, and tool and error lines', () => {
    const exported = JSON.parse(conversationToJson(conversation)) as Record<string, unknown>;
    expect(exported).toEqual({
      id: 4,
      title: 'Weather in Oslo?',
      startedAt: '2026-11-27T09:00:00.000Z',
      lines: [
        { role: 'user', text: 'Weather in Oslo?', at: '2026-11-27T09:00:00.000Z', status: 'final' },
        {
          role: 'tool',
          text: 'weather.forecast',
          at: '2026-11-27T09:00:01.000Z',
          status: 'final',
          callId: 'c1',
          name: 'forecast',
          server: 'weather',
          toolStatus: 'done',
          arguments: { city: 'Oslo' },
          result: 'rain',
        },
        { role: 'assistant', text: 'Rain all', at: '2026-11-27T09:00:02.000Z', status: 'interrupted' },
        { role: 'user', text: '', at: '2026-11-27T09:00:03.000Z', status: 'final', clipMs: 2500 },
        { role: 'assistant', text: 'Tomorrow it', at: '2026-11-27T09:00:04.000Z', status: 'incomplete' },
        { role: 'error', text: 'The connection dropped; press the key to try again.', at: '2026-11-27T09:00:05.000Z', status: 'final', code: 'stream-broken' },
      ],
    });
  });

  it('as a Markdown transcript with cut-off and interrupted lines marked', () => {
    expect(conversationToMarkdown(conversation)).toBe(
      [
        '# Weather in Oslo?',
        '',
        '*2026-11-27T09:00:00.000Z*',
        '',
        '**You:** Weather in Oslo?',
        '',
        '**Tool:** `weather.forecast` — done',
        '',
        '```',
        'rain',
        '```',
        '',
        '**Assistant:** Rain all *(interrupted)*',
        '',
        '**You:** *(spoken, 2.5 s, no transcript)*',
        '',
        '**Assistant:** Tomorrow it *(incomplete)*',
        '',
        '**Error:** The connection dropped; press the key to try again.',
        '',
        '',
      ].join('\n'),
    );
  });

  it('as a Markdown transcript in the window\'s language, the words said left as they were', () => {
    const untitled = { ...conversation, title: '', lines: [...conversation.lines, { key: 'u3', role: 'user' as const, text: '$t(history.title) {{text}}', status: 'final' as const, at: 0 }] };
    expect(conversationToMarkdown(untitled, 'zh-CN')).toBe(
      [
        '# 对话',
        '',
        '*2026-11-27T09:00:00.000Z*',
        '',
        '**你：** Weather in Oslo?',
        '',
        '**工具：** `weather.forecast` — done',
        '',
        '```',
        'rain',
        '```',
        '',
        '**助手：** Rain all *（被打断）*',
        '',
        '**你：** *（语音，2.5 秒，没有文字记录）*',
        '',
        '**助手：** Tomorrow it *（未完成）*',
        '',
        '**错误：** The connection dropped; press the key to try again.',
        '',
        '**你：** $t(history.title) {{text}}',
        '',
        '',
      ].join('\n'),
    );
    // The export route takes the language the window sends; JSON, for programs, is the same in both.
    expect(formatConversation(conversation, 'md', 'zh-CN')).toBe(conversationToMarkdown(conversation, 'zh-CN'));
    expect(formatConversation(conversation, 'json', 'zh-CN')).toBe(conversationToJson(conversation));
    expect(conversationToMarkdown(untitled, 'en')).toMatch(/^# Conversation\n[^]*\*\*You:\*\* \$t\(history\.title\) \{\{text\}\}\n\n$/);
  });
});

describe('the default data folder', () => {
  it('is where Electron keeps Parley’s user data on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Parley');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/Parley');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/ana')).toBe('/home/ana/.config/Parley');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Parley');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toMatch(/Roaming[\\/]Parley$/);
  });
});
