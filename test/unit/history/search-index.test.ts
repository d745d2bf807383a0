import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { shortGrams, shortQuery } from '../../../src/main/history/search-index';
import { connectWasm } from '../../../src/main/history/sqlite-connection';
import { temporaryDataDir } from './history-fixtures';

/**
 * The search indexes are filled after the fact (before a search, after a reply), not inside
 * each write; these check that a search never sees them behind, whatever happened to a line
 * in between, and the character index that answers one- and two-character queries.
 */
describe('search index', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let store: ConversationStore;
  const texts = (query: string): string[] => store.search(query).map((match) => match.parts.map((part) => part.text).join(''));

  beforeEach(() => {
    data = temporaryDataDir();
    store = ConversationStore.open(data.dir, { writer: true });
  });
  afterEach(() => {
    store.dispose();
    data.remove();
  });

  it('finds a streaming line by its latest text only, after it was indexed mid-reply', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'Once upon', status: 'streaming' });
    expect(texts('upon')).toEqual(['Once upon']); // indexes it
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'Once upon a time', status: 'streaming' });
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'Once there was a dragon', status: 'final' });
    expect(texts('upon')).toEqual([]);
    expect(texts('dragon')).toEqual(['Once there was a dragon']);
    expect(texts('龙')).toEqual([]);
    store.saveLine(id, { key: 'a', role: 'assistant', text: '从前有一条龙', status: 'final' });
    expect(texts('龙')).toEqual(['从前有一条龙']);
    expect(texts('dragon')).toEqual([]);
  });

  it('answers one and two characters in any script, ignoring case, punctuation and emoji included', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'fr', role: 'user', text: 'Été à Paris ?', status: 'final' });
    store.saveLine(id, { key: 'el', role: 'assistant', text: 'Ναι, ΟΔΟΣ', status: 'final' });
    store.saveLine(id, { key: 'zh', role: 'user', text: '好的，谢谢！👍', status: 'final' });
    expect(texts('été')).toEqual(['Été à Paris ?']);
    expect(texts('ÉT')).toEqual(['Été à Paris ?']);
    expect(texts('à')).toEqual(['Été à Paris ?']);
    expect(texts('?')).toEqual(['Été à Paris ?']);
    expect(texts('σ')).toEqual(['Ναι, ΟΔΟΣ']); // a capital sigma at a word's end, lowered on its own
    expect(texts('，谢')).toEqual(['好的，谢谢！👍']);
    expect(texts('👍')).toEqual(['好的，谢谢！👍']);
    expect(texts('！👍')).toEqual(['好的，谢谢！👍']);
    expect(texts('谢的')).toEqual([]); // both characters are there, but not side by side
    expect(texts('À p')).toEqual(['Été à Paris ?']); // three characters: the trigram index
  });

  it('lists newest matches first and stops at the limit', () => {
    const id = store.createConversation();
    for (let line = 0; line < 8; line++) store.saveLine(id, { key: `l${line}`, role: 'user', text: `天 ${line}`, status: 'final' });
    expect(store.search('天', 3).map((match) => match.parts.map((part) => part.text).join(''))).toEqual(['天 7', '天 6', '天 5']);
  });

  it('forgets deleted lines, whether they were indexed yet or not', () => {
    const indexed = store.createConversation();
    store.saveLine(indexed, { key: 'u', role: 'user', text: 'indexed apple 苹果', status: 'final' });
    expect(texts('苹')).toHaveLength(1);
    const pending = store.createConversation();
    store.saveLine(pending, { key: 'u', role: 'user', text: 'pending apple 苹果', status: 'final' });
    store.delete(indexed);
    store.delete(pending);
    expect(texts('apple')).toEqual([]);
    expect(texts('苹')).toEqual([]);
    const again = store.createConversation();
    store.saveLine(again, { key: 'u', role: 'user', text: 'another apple', status: 'final' });
    expect(texts('apple')).toEqual(['another apple']);
    store.deleteAll();
    expect(texts('apple')).toEqual([]);
    const fresh = store.createConversation();
    store.saveLine(fresh, { key: 'u', role: 'user', text: 'a fresh apple 苹果', status: 'final' });
    expect(texts('apple')).toEqual(['a fresh apple 苹果']);
    expect(texts('苹果')).toEqual(['a fresh apple 苹果']);
  });

  it('indexes, at the next open, lines a store stored but never searched (a crash before its catch-up)', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: 'said before the crash 崩溃', status: 'final' });
    store.dispose(); // no search and no flushToDisk: the index never saw this line
    store = ConversationStore.open(data.dir, { writer: true });
    expect(texts('崩')).toEqual(['said before the crash 崩溃']);
    expect(texts('crash')).toEqual(['said before the crash 崩溃']);
  });

  it('still searches a read-only file whose index is behind, finding what was indexed', () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: 'indexed words', status: 'final' });
    expect(texts('words')).toHaveLength(1);
    store.saveLine(id, { key: 'a', role: 'assistant', text: 'stored after the last search', status: 'final' });
    store.dispose();
    store = ConversationStore.open(data.dir, { connect: (path) => connectWasm(path, { readOnly: true }) });
    expect(texts('words')).toEqual(['indexed words']);
    expect(() => store.search('stored')).not.toThrow();
  });

  it('writes each character as an ASCII token the tokenizer cannot split, and pairs as two run together', () => {
    expect(shortGrams('Ab a')).toBe('002p 002p002q 002q'); // a is 97, b 98: 2p and 2q in base 36; no pair across the space
    expect(shortQuery('天')).toBe(`"${(0x5929).toString(36).padStart(4, '0')}"`);
    expect(shortQuery('天气')).toBe(`"${(0x5929).toString(36).padStart(4, '0')}${(0x6c14).toString(36).padStart(4, '0')}"`);
    expect(shortQuery('abc')).toBeNull();
  });
});
