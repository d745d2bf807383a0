import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { scheduleSearchWarmUp, WARM_UP_QUERIES } from '../../../src/main/history/search-warm-up';
import { temporaryDataDir } from './history-fixtures';

describe('search warm-up', () => {
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

  it('runs every warm-up search on the real store, one per tick, and leaves the history as it was', async () => {
    const id = store.createConversation();
    store.saveLine(id, { key: 'u', role: 'user', text: '今天天气很好 and the weather is fine', status: 'final' });
    const searched: string[] = [];
    scheduleSearchWarmUp({ search: (query, limit) => (searched.push(query), store.search(query, limit)) }, { delayMs: 0, gapMs: 0 });
    expect(searched).toEqual([]); // nothing before start-up has settled
    await vi.waitFor(() => expect(searched).toEqual([...WARM_UP_QUERIES]));
    expect(store.list().map((summary) => summary.id)).toEqual([id]);
    expect(store.search('天气').map((match) => match.conversationId)).toEqual([id]);
  });

  it('stops when cancelled, and when the store can no longer search', async () => {
    const searched: string[] = [];
    const cancel = scheduleSearchWarmUp(
      {
        search: (query, limit) => {
          searched.push(query);
          if (searched.length === 2) cancel(); // as the history is disposed mid-way
          return store.search(query, limit);
        },
      },
      { delayMs: 0, gapMs: 0 },
    );
    await vi.waitFor(() => expect(searched).toEqual(WARM_UP_QUERIES.slice(0, 2)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(searched).toEqual(WARM_UP_QUERIES.slice(0, 2));

    const closedSearches: string[] = [];
    store.dispose();
    scheduleSearchWarmUp({ search: (query, limit) => (closedSearches.push(query), store.search(query, limit)) }, { delayMs: 0, gapMs: 0 });
    await vi.waitFor(() => expect(closedSearches).toEqual([WARM_UP_QUERIES[0]]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closedSearches).toEqual([WARM_UP_QUERIES[0]]);
  });
});
