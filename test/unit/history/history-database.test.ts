import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryError } from '../../../src/main/history/history-error';
import { historyFilePath } from '../../../src/main/history/history-location';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/history/history-schema';
import { connectWasm } from '../../../src/main/history/sqlite-connection';
import { temporaryDataDir } from './history-fixtures';

describe('opening the history database', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  beforeEach(() => {
    data = temporaryDataDir();
  });
  afterEach(() => data.remove());

  it('migrates a version 1 file: final flags become statuses, order and search work', () => {
    const v1 = connectWasm(historyFilePath(data.dir));
    v1.exec(MIGRATIONS[0]!);
    v1.exec('PRAGMA user_version = 1');
    v1.exec(`INSERT INTO conversations (id, started_at) VALUES (7, 5000);
      INSERT INTO lines (conversation_id, item_key, role, text, final, at) VALUES
        (7, 'u1', 'user', '明天会下雨吗', 1, 5000),
        (7, 'a1', 'assistant', 'Probably not, the forecast', 0, 5100);`);
    v1.close();

    const store = ConversationStore.open(data.dir);
    try {
      expect(store.notice).toBeNull();
      expect(store.list()).toEqual([{ id: 7, title: '明天会下雨吗', startedAt: 5000, lineCount: 2 }]);
      expect(store.get(7).lines.map((line) => [line.role, line.status])).toEqual([
        ['user', 'final'],
        ['assistant', 'incomplete'],
      ]);
      expect(store.search('下雨')[0]!.conversationId).toBe(7);
      expect(store.search('forecast')[0]!.conversationId).toBe(7);
      store.saveLine(7, { key: 'u2', role: 'user', text: 'And tomorrow?', status: 'final' });
      expect(store.get(7).lines.at(-1)!.text).toBe('And tomorrow?');
    } finally {
      store.dispose();
    }
    const check = connectWasm(historyFilePath(data.dir));
    expect(check.prepare('PRAGMA user_version').get()!.user_version).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('migrates a version 2 file: its lines are indexed anew, for short queries too, and stay in step afterwards', () => {
    const v2 = connectWasm(historyFilePath(data.dir));
    v2.exec(MIGRATIONS[0]!);
    v2.exec(MIGRATIONS[1]!);
    v2.exec('PRAGMA user_version = 2');
    // Written the way version 2 wrote: its triggers fill its external-content trigram index.
    v2.exec(`INSERT INTO conversations (id, started_at, title, title_position) VALUES (3, 1000, '明天会下雨吗', 1), (4, 2000, 'Old Lisbon', 1);
      INSERT INTO lines (conversation_id, item_key, role, text, status, position, at, updated_at) VALUES
        (3, 'u1', 'user', '明天会下雨吗', 'final', 1, 1000, 1000),
        (3, 'a1', 'assistant', 'Rain is likely', 'incomplete', 2, 1100, 1100),
        (4, 'u1', 'user', 'Old Lisbon trams', 'final', 1, 2000, 2000);`);
    v2.close();

    const store = ConversationStore.open(data.dir);
    try {
      expect(store.notice).toBeNull();
      expect(store.search('雨').map((match) => match.conversationId)).toEqual([3]);
      expect(store.search('下雨').map((match) => match.snippet)).toEqual(['明天会**下雨**吗']);
      expect(store.search('rain').map((match) => match.snippet)).toEqual(['**Rain** is likely']);
      expect(store.search('l').map((match) => match.conversationId)).toEqual([4, 3]);
      expect(store.get(3).lines.map((line) => line.status)).toEqual(['final', 'incomplete']);
      store.saveLine(4, { key: 'a1', role: 'assistant', text: 'The 28 still climbs to the castle', status: 'final' });
      store.delete(3);
      expect(store.search('雨')).toEqual([]);
      expect(store.search('rain')).toEqual([]);
      expect(store.search('28').map((match) => match.snippet)).toEqual(['The **28** still climbs to the castle']);
    } finally {
      store.dispose();
    }
    const check = connectWasm(historyFilePath(data.dir));
    expect(check.prepare('PRAGMA user_version').get()!.user_version).toBe(3);
    expect(check.prepare(`SELECT count(*) AS triggers FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'lines_search_%'`).get()!.triggers).toBe(0);
    check.close();
  });

  it('sets a damaged file aside, starts a new one, and says so in one sentence', () => {
    mkdirSync(data.dir, { recursive: true });
    writeFileSync(historyFilePath(data.dir), Buffer.from('this is not a database at all, just garbage bytes '.repeat(200)));
    const store = ConversationStore.open(data.dir);
    try {
      const aside = readdirSync(data.dir).find((name) => name.startsWith('history.sqlite.corrupt-'));
      expect(aside).toMatch(/^history\.sqlite\.corrupt-\d{4}-\d{2}-\d{2}T/);
      expect(store.notice?.message).toBe(`Your conversation history was damaged, so Parley moved it to ${join(data.dir, aside!)} and started a new one.`);
      const id = store.createConversation();
      store.saveLine(id, { key: 'u', role: 'user', text: 'fresh start', status: 'final' });
      expect(store.list()).toHaveLength(1);
    } finally {
      store.dispose();
    }
  });

  it('leaves a file from a newer Parley untouched and says why', () => {
    const newer = connectWasm(historyFilePath(data.dir));
    newer.exec(`CREATE TABLE future (x); PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => ConversationStore.open(data.dir)).toThrow(HistoryError);
    expect(() => ConversationStore.open(data.dir)).toThrow(/written by a newer Parley/);
    expect(readdirSync(data.dir).some((name) => name.includes('corrupt'))).toBe(false);
  });

  it('clears the lock left by a writer that was killed mid-transaction', () => {
    const first = ConversationStore.open(data.dir, { writer: true });
    first.saveLine(first.createConversation(), { key: 'u', role: 'user', text: 'before the kill', status: 'final' });
    first.dispose();
    // What kill -9 inside a transaction leaves: node-sqlite3-wasm's lock directory, and the
    // writer's pid, here one that cannot be running.
    mkdirSync(`${historyFilePath(data.dir)}.lock`);
    writeFileSync(`${historyFilePath(data.dir)}.writer-pid`, '2147483646');
    const second = ConversationStore.open(data.dir, { writer: true, busyTimeoutMs: 50 });
    try {
      expect(existsSync(`${historyFilePath(data.dir)}.lock`)).toBe(false);
      second.saveLine(second.createConversation(), { key: 'u', role: 'user', text: 'after the restart', status: 'final' });
      expect(second.list().map((summary) => summary.title)).toEqual(['after the restart', 'before the kill']);
    } finally {
      second.dispose();
    }
  });
});
