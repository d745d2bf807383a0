import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore, titleFrom } from '../../../src/main/history/conversation-store';
import { HistoryError } from '../../../src/main/history/history-error';
import { temporaryDataDir } from './history-fixtures';

describe('ConversationStore', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let store: ConversationStore;

  beforeEach(() => {
    data = temporaryDataDir();
    store = ConversationStore.open(data.dir, { writer: true });
  });
  afterEach(() => {
    store.dispose();
    data.remove();
  });

  it('keeps lines in the order they were first stored, updating text in place', () => {
    const id = store.createConversation(1000);
    store.saveLine(id, { key: 'u1', role: 'user', text: '', status: 'streaming', detail: { clipMs: 1200 } }, 1000);
    store.saveLine(id, { key: 'a1', role: 'assistant', text: 'It is', status: 'streaming' }, 1100);
    store.saveLine(id, { key: 'u1', role: 'user', text: 'What time is it?', status: 'final' }, 1200);
    store.saveLine(id, { key: 'a1', role: 'assistant', text: 'It is noon.', status: 'final' }, 1300);
    const conversation = store.get(id);
    expect(conversation.lines.map((line) => [line.role, line.text, line.status])).toEqual([
      ['user', 'What time is it?', 'final'],
      ['assistant', 'It is noon.', 'final'],
    ]);
    expect(conversation.lines[0]!.detail).toEqual({ clipMs: 1200 });
    expect(conversation.title).toBe('What time is it?');
  });

  it('lists conversations newest first with title, start and line count', () => {
    const older = store.createConversation(1000);
    store.saveLine(older, { key: 'u', role: 'user', text: 'first chat', status: 'final' });
    const newer = store.createConversation(2000);
    store.saveLine(newer, { key: 'u', role: 'user', text: 'second chat', status: 'final' });
    store.saveLine(newer, { key: 'a', role: 'assistant', text: 'reply', status: 'final' });
    expect(store.list()).toEqual([
      { id: newer, title: 'second chat', startedAt: 2000, lineCount: 2 },
      { id: older, title: 'first chat', startedAt: 1000, lineCount: 1 },
    ]);
  });

  it('titles long text by its first words, and Chinese by its first characters', () => {
    expect(titleFrom('one two three four five six seven eight nine ten eleven twelve thirteen fourteen')).toBe(
      'one two three four five six seven eight nine ten eleven…',
    );
    const chinese = '今天'.repeat(40);
    expect(titleFrom(chinese)).toBe(`${chinese.slice(0, 60)}…`);
  });

  it('finds Chinese with one, two and three or more characters, and marks the match', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: '今天北京的天气怎么样？', status: 'final' });
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'The weather in Beijing is sunny.', status: 'final' });
    for (const query of ['天', '天气', '天气怎么样']) {
      const matches = store.search(query);
      expect(matches, query).toHaveLength(1);
      expect(matches[0]!.conversationId).toBe(id);
      expect(matches[0]!.parts.filter((part) => part.match).map((part) => part.text)).toContain(query);
      expect(matches[0]!.snippet).toContain(`**${query}**`);
    }
    expect(store.search('weather')[0]!.snippet).toBe('The **weather** in Beijing is sunny.');
    expect(store.search('WEATHER')).toHaveLength(1);
    expect(store.search('snow')).toEqual([]);
    expect(store.search('北京天气')).toEqual([]); // not a substring
  });

  it('treats search text literally: quotes, LIKE wildcards and FTS syntax match only themselves', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'Use "quotes" and 100% of NEAR(a b)', status: 'final' });
    store.saveLine(id, { key: 'b', role: 'assistant', text: 'nothing special here', status: 'final' });
    expect(store.search('"quotes"')).toHaveLength(1);
    expect(store.search('%')).toHaveLength(1);
    expect(store.search('_')).toEqual([]);
    expect(store.search('NEAR(a')).toHaveLength(1);
  });

  it('search snippets around a match far into a long line', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'a', role: 'assistant', text: `${'filler '.repeat(30)}needle ${'tail '.repeat(30)}`, status: 'final' });
    const [match] = store.search('needle');
    expect(match!.snippet.startsWith('…')).toBe(true);
    expect(match!.snippet.endsWith('…')).toBe(true);
    expect(match!.snippet).toContain('**needle**');
  });

  it('deletes one conversation, then all, removing them from search too', () => {
    const keep = store.createConversation();
    store.saveLine(keep, { key: 'u', role: 'user', text: 'keep this apple', status: 'final' });
    const drop = store.createConversation();
    store.saveLine(drop, { key: 'u', role: 'user', text: 'drop this apple', status: 'final' });
    store.delete(drop);
    expect(store.list().map((summary) => summary.id)).toEqual([keep]);
    expect(store.search('apple').map((match) => match.conversationId)).toEqual([keep]);
    store.deleteAll();
    expect(store.list()).toEqual([]);
    expect(store.search('apple')).toEqual([]);
  });

  it('answers a conversation deleted while shown with a sentence, for every operation', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: 'hello', status: 'final' });
    store.delete(id);
    for (const operation of [() => store.get(id), () => store.delete(id), () => store.saveLine(id, { key: 'x', role: 'user', text: 'x', status: 'final' })]) {
      expect(operation).toThrow(HistoryError);
      expect(operation).toThrow(`Conversation ${id} is no longer in your history; it may have been deleted.`);
    }
  });

  it('marks lines a killed writer left streaming as incomplete', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'half a', status: 'streaming' });
    store.saveLine(id, { key: 'b', role: 'assistant', text: 'done', status: 'final' });
    expect(store.markStreamingIncomplete()).toBe(1);
    expect(store.get(id).lines.map((line) => line.status)).toEqual(['incomplete', 'final']);
  });
});
