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

  it('sets a damaged file aside, starts a new one, and says so in one sentence', () => {
    mkdirSync(data.dir, { recursive: true });
    writeFileSync(historyFilePath(data.dir), Buffer.from('this is not a database at all, just garbage bytes '.repeat(200)));
    const store = ConversationStore.open(data.dir);
    try {
      const aside = readdirSync(data.dir).find((name) => name.startsWith('history.sqlite.corrupt-'));
      expect(aside).toMatch(/^history\.sqlite\.corrupt-\d{4}-\d{2}-\d{2}T/);
      expect(store.notice).toBe(`Your conversation history was damaged, so Parley moved it to ${join(data.dir, aside!)} and started a new one.`);
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
