import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { scheduleSearchWarmUp, WARM_UP_QUERIES, type WarmUpStore } from '../../../src/main/history/search-warm-up';
import { temporaryDataDir } from './history-fixtures';

describe('search warm-up', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let store: ConversationStore;
  let calls: string[];
  /** The real store, with each call written down. */
  const recorded = (onCall: () => void = () => undefined): WarmUpStore => ({
    search: (query, limit) => (calls.push(`search ${query}`), onCall(), store.search(query, limit)),
    readLinesForWarmUp: (beforeId, count) => (calls.push(`read ${beforeId}`), onCall(), store.readLinesForWarmUp(beforeId, count)),
    indexStep: () => (calls.push('index'), onCall(), store.indexStep()),
  });

  beforeEach(() => {
    data = temporaryDataDir();
    store = ConversationStore.open(data.dir, { writer: true });
    calls = [];
  });
  afterEach(() => {
    store.dispose();
    data.remove();
  });

  it('indexes what waits, runs every warm-up search, then one pass over the lines, one step per tick, leaving the history as it was', async () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: '今天天气很好 and the weather is fine', status: 'final' });
    scheduleSearchWarmUp(recorded(), { delayMs: 0, gapMs: 0 });
    expect(calls).toEqual([]); // nothing before start-up has settled
    await vi.waitFor(() => expect(calls).toEqual(['index', ...WARM_UP_QUERIES.map((query) => `search ${query}`), 'read null']));
    expect(store.list().map((summary) => summary.id)).toEqual([id]);
    expect(store.search('天气').map((match) => match.conversationId)).toEqual([id]);
  });

  it('reads the lines newest first in steps, down to the oldest', () => {
    const id = store.createConversation();
    for (let line = 0; line < 5; line++) store.saveLine(id, { key: `l${line}`, role: 'user', text: `line ${line}`, status: 'final' });
    const first = store.readLinesForWarmUp(null, 2);
    const second = store.readLinesForWarmUp(first, 2);
    expect(second).not.toBeNull();
    expect(first! - second!).toBe(2);
    expect(store.readLinesForWarmUp(second, 2)).toBeNull(); // one line was left
  });

  it('stops when cancelled, and when the store can no longer search', async () => {
    const cancel = scheduleSearchWarmUp(
      recorded(() => {
        if (calls.length === 3) cancel(); // as the history is disposed mid-way
      }),
      { delayMs: 0, gapMs: 0 },
    );
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['index', ...WARM_UP_QUERIES.slice(0, 2).map((query) => `search ${query}`)]);

    calls = [];
    store.dispose();
    scheduleSearchWarmUp(recorded(), { delayMs: 0, gapMs: 0 });
    // A closed store has nothing to index, and its first search fails: the warm-up stops there.
    await vi.waitFor(() => expect(calls).toEqual(['index', `search ${WARM_UP_QUERIES[0]}`]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['index', `search ${WARM_UP_QUERIES[0]}`]);
  });
});
