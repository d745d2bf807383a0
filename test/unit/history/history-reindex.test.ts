import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { historyFilePath } from '../../../src/main/history/history-location';
import { MIGRATIONS } from '../../../src/main/history/history-schema';
import { RETIRED_SEARCH_INDEX, RetiredSearchIndex } from '../../../src/main/history/retired-search-index';
import { connectWasm, type SqlConnection } from '../../../src/main/history/sqlite-connection';
import { temporaryDataDir } from './history-fixtures';

const CONVERSATIONS = 60;
const LINES_PER_CONVERSATION = 10;
const ALL_LINES = CONVERSATIONS * LINES_PER_CONVERSATION;
/** Small steps, so a catch-up of ALL_LINES takes several and can be watched mid-way. */
const STEP = 100;
const SAYINGS = ['Rain tomorrow', '明天会下雨吗', 'Old Lisbon trams', 'ÉTÉ à Paris', 'the weather is fine', '天气很好'];
/** Long, short, non-ASCII case, one and two characters, and nothing at all. */
const QUERIES = ['rain', '雨', '下雨', 'été', 'lisbon', 'e', 'tr', 'zebra'];

/** Line `l` of conversation `c`; the first conversation alone mentions Sintra. */
function lineText(c: number, l: number): string {
  return `${SAYINGS[(c + l) % SAYINGS.length]} ${c}.${l}${c === 1 && l === 0 ? ' (Sintra)' : ''}`;
}

/** A history as Parley's schema version 2 wrote it, lines stored in id order. */
function writeVersion2File(dir: string): void {
  const v2 = connectWasm(historyFilePath(dir));
  v2.exec(MIGRATIONS[0]!);
  v2.exec(MIGRATIONS[1]!);
  v2.exec('PRAGMA user_version = 2; BEGIN');
  const conversation = v2.prepare('INSERT INTO conversations (id, started_at, title, title_position) VALUES (?, ?, ?, 1)');
  const line = v2.prepare(`INSERT INTO lines (conversation_id, item_key, role, text, status, position, at, updated_at) VALUES (?, ?, 'user', ?, 'final', ?, ?, ?)`);
  for (let c = 1; c <= CONVERSATIONS; c++) {
    conversation.run([c, c * 1000, lineText(c, 0)]);
    for (let l = 0; l < LINES_PER_CONVERSATION; l++) line.run([c, `l${l}`, lineText(c, l), l + 1, c * 1000 + l, c * 1000 + l]);
  }
  v2.exec('COMMIT');
  v2.close();
}

/**
 * What a search must answer, worked out from the texts alone (and lines stored since, `later`):
 * newest line first, case ignored.
 */
function expected(query: string, limit = 50, later: string[] = []): string[] {
  const lines: string[] = [];
  for (let c = 1; c <= CONVERSATIONS; c++) for (let l = 0; l < LINES_PER_CONVERSATION; l++) lines.push(lineText(c, l));
  return [...lines, ...later]
    .reverse()
    .filter((text) => text.toLowerCase().includes(query.toLowerCase()))
    .slice(0, limit);
}

function found(store: ConversationStore, query: string, limit = 50): string[] {
  return store.search(query, limit).map((match) => match.parts.map((part) => part.text).join(''));
}

describe('re-indexing a version 2 history after the upgrade', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  beforeEach(() => {
    data = temporaryDataDir();
    writeVersion2File(data.dir);
  });
  afterEach(() => data.remove());

  /** One number read through a second connection, as another process would. */
  const readNumber = (sql: string): number => {
    const check = connectWasm(historyFilePath(data.dir));
    try {
      return Number(check.prepare(sql).get()!.value);
    } finally {
      check.close();
    }
  };
  /** How far the index has got. */
  const indexedUpTo = (): number => readNumber('SELECT indexed_upto AS value FROM search_progress');
  /** Lines the trigram index holds. */
  const indexedLines = (): number => readNumber('SELECT count(*) AS value FROM lines_search_docsize');

  /** Tables whose name starts with the old index's new name: the index and its shadow tables. */
  const retiredTables = (): number => readNumber(`SELECT count(*) AS value FROM sqlite_schema WHERE name LIKE '${RETIRED_SEARCH_INDEX}%'`);

  it('opens without indexing, and every search finds old lines before, during and after the catch-up', () => {
    const store = ConversationStore.open(data.dir, { linesPerIndexStep: STEP });
    try {
      expect(indexedUpTo()).toBe(0);
      expect(indexedLines()).toBe(0);
      // The old index is kept, renamed, until the first step frees it (this small one at once).
      expect(retiredTables()).toBeGreaterThan(1);
      expect(store.list()).toHaveLength(CONVERSATIONS);
      // Nothing indexed yet: a search leaves the backlog to the steps and scans it.
      expect(found(store, 'sintra')).toEqual([expect.stringContaining('(Sintra)')]);
      for (const query of QUERIES) expect(found(store, query), query).toEqual(expected(query));
      expect(indexedUpTo()).toBe(0);

      let steps = 1;
      while (store.indexStep()) {
        expect(retiredTables()).toBe(0);
        steps++;
        expect(indexedUpTo()).toBe(steps * STEP - STEP);
        // Part indexed, part scanned: the limit is met from the scanned (newer) lines first.
        expect(found(store, 'sintra', 5)).toEqual([expect.stringContaining('(Sintra)')]);
        for (const query of QUERIES) expect(found(store, query, 7), query).toEqual(expected(query, 7));
        expect(found(store, 'e', 200)).toEqual(expected('e', 200));
      }
      expect(steps).toBe(ALL_LINES / STEP);
      expect(indexedUpTo()).toBe(ALL_LINES);
      expect(indexedLines()).toBe(ALL_LINES);
      for (const query of QUERIES) expect(found(store, query), query).toEqual(expected(query));
      expect(found(store, 'sintra')).toEqual([expect.stringContaining('(Sintra)')]);
      expect(readNumber(`SELECT quick_check = 'ok' AS value FROM pragma_quick_check`)).toBe(1);
    } finally {
      store.dispose();
    }
  });

  it('goes on from where it stopped when Parley quit mid-way, and keeps new lines searchable meanwhile', () => {
    const first = ConversationStore.open(data.dir, { linesPerIndexStep: STEP });
    expect(first.indexStep()).toBe(true);
    expect(first.indexStep()).toBe(true);
    first.saveLine(60, { key: 'late', role: 'assistant', text: 'A late word about Sintra', status: 'final' });
    first.dispose();
    expect(indexedUpTo()).toBe(2 * STEP);

    const second = ConversationStore.open(data.dir, { linesPerIndexStep: STEP });
    try {
      expect(found(second, 'sintra')).toEqual(['A late word about Sintra', expect.stringContaining('(Sintra)')]);
      expect(indexedUpTo()).toBe(2 * STEP); // neither opening nor searching indexed the backlog
      let steps = 1;
      while (second.indexStep()) steps++;
      // The rest, and the late line, in whole steps from where the first Parley stopped.
      expect(steps).toBe(Math.ceil((ALL_LINES + 1 - 2 * STEP) / STEP));
      expect(indexedUpTo()).toBe(ALL_LINES + 1);
      expect(indexedLines()).toBe(ALL_LINES + 1);
      expect(found(second, 'sintra')).toEqual(['A late word about Sintra', expect.stringContaining('(Sintra)')]);
      for (const query of QUERIES) expect(found(second, query), query).toEqual(expected(query, 50, ['A late word about Sintra']));
    } finally {
      second.dispose();
    }
  });

  it('frees the old index a few rows a step, then drops it; a file it cannot write is left for the next start', () => {
    ConversationStore.open(data.dir).dispose(); // the upgrade, which only renames the old index
    const retired = (db: SqlConnection): RetiredSearchIndex => new RetiredSearchIndex({ db, sql: (text) => db.prepare(text), forgetStatements: () => undefined }, { segments: 2, sizes: 150 });
    const rowsLeft = (): number => readNumber(`SELECT (SELECT count(*) FROM ${RETIRED_SEARCH_INDEX}_data) + (SELECT count(*) FROM ${RETIRED_SEARCH_INDEX}_docsize) AS value`);

    const readOnly = connectWasm(historyFilePath(data.dir), { readOnly: true });
    try {
      const attempt = retired(readOnly);
      expect(attempt.step()).toBe(false);
      expect(retiredTables()).toBeGreaterThan(1);
    } finally {
      readOnly.close();
    }

    const db = connectWasm(historyFilePath(data.dir));
    try {
      const index = retired(db);
      const counts = [rowsLeft()];
      while (index.step()) counts.push(rowsLeft());
      // 600 size rows at 150 a step: at least four steps, each freeing rows.
      expect(counts.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThan(counts[i - 1]!);
      expect(retiredTables()).toBe(0);
      expect(index.step()).toBe(false);
      expect(readNumber(`SELECT quick_check = 'ok' AS value FROM pragma_quick_check`)).toBe(1);
    } finally {
      db.close();
    }
  });
});
