import { inWriteTransaction } from './sqlite-connection';

/**
 * The history database's schema, as a list of migrations. `PRAGMA user_version` holds how
 * many have run; each one moves the database up by one version inside a transaction, so a
 * crash mid-migration leaves the previous version intact.
 */

/** Version 1: lines kept a `final` flag; no search index. Kept verbatim: old files are in this shape. */
const VERSION_1 = `
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL
);
CREATE TABLE lines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  final INTEGER NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE (conversation_id, item_key)
);`;

/**
 * Version 2: a line's `status` replaces `final` (streaming | final | incomplete | interrupted),
 * `position` orders lines by when their turn started (not by when their text arrived),
 * `detail` holds what a tool call or error carries, and a full-text index.
 *
 * The index uses the `trigram` tokenizer because it needs no word segmenter: Chinese and
 * Japanese have no spaces between words, and the default `unicode61` tokenizer would treat a
 * whole sentence as one "word", so a search for 天气 would never match 今天天气很好. Trigrams
 * match any substring of three or more characters in every script; shorter queries (common in
 * Chinese) fell back to LIKE in the store until version 3.
 */
const VERSION_2 = `
ALTER TABLE lines ADD COLUMN status TEXT NOT NULL DEFAULT 'streaming';
UPDATE lines SET status = CASE final WHEN 1 THEN 'final' ELSE 'incomplete' END;
ALTER TABLE lines DROP COLUMN final;
ALTER TABLE lines ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE lines SET position = id;
ALTER TABLE lines ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE lines SET updated_at = at;
ALTER TABLE lines ADD COLUMN detail TEXT;
CREATE INDEX lines_by_conversation ON lines (conversation_id, position);
CREATE INDEX lines_by_status ON lines (status) WHERE status = 'streaming';

ALTER TABLE conversations ADD COLUMN title TEXT;
ALTER TABLE conversations ADD COLUMN title_position INTEGER;
UPDATE conversations SET
  title_position = (SELECT min(position) FROM lines WHERE conversation_id = conversations.id AND role IN ('user', 'assistant') AND text <> ''),
  title = (SELECT text FROM lines WHERE conversation_id = conversations.id AND role IN ('user', 'assistant') AND text <> '' ORDER BY position LIMIT 1);

CREATE VIRTUAL TABLE lines_search USING fts5(text, content = 'lines', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO lines_search (lines_search) VALUES ('rebuild');
CREATE TRIGGER lines_search_insert AFTER INSERT ON lines BEGIN
  INSERT INTO lines_search (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER lines_search_delete AFTER DELETE ON lines BEGIN
  INSERT INTO lines_search (lines_search, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER lines_search_update AFTER UPDATE OF text ON lines BEGIN
  INSERT INTO lines_search (lines_search, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO lines_search (rowid, text) VALUES (new.id, new.text);
END;`;

/**
 * Version 3: the search indexes are filled after the fact (see SearchIndex), not by triggers
 * inside every write: an FTS5 index writes a new segment per transaction, which made up a
 * third of the cost of storing a line, and a streaming line is rewritten every second.
 * - `lines_search` becomes contentless (with contentless_delete), so a line whose text changed
 *   after it was indexed can be dropped from it by rowid, without its old text;
 * - `lines_short` answers one- and two-character queries (a Chinese word is often that
 *   short), which trigrams can't: each line's characters and character pairs, each written
 *   as an ASCII token (see shortGrams), without positions;
 * - both index a line under its id negated: FTS5 reads a doclist forwards faster than
 *   backwards (a fifth less CPU per search here), and ascending negated ids come newest first;
 * - `search_progress.indexed_upto`: lines with a greater id are not indexed yet (ids only grow:
 *   AUTOINCREMENT); `search_stale`: indexed lines whose text has changed since;
 * - no automatic merging of index segments: it made every fourth catch-up (inside a search)
 *   rewrite hundreds of pages; SearchIndex.tidy() merges after a reply instead.
 * Every line waits to be indexed again: the warm-up does that in steps after the store opens
 * (see searchWarmUp), and searches scan what is not indexed yet. The old index is renamed, not
 * dropped: a drop here kept the window waiting for up to a third of a second on a large
 * history; the same steps free it first (see RetiredSearchIndex).
 */
const VERSION_3 = `
DROP TRIGGER lines_search_insert;
DROP TRIGGER lines_search_update;
DROP TRIGGER lines_search_delete;
ALTER TABLE lines_search RENAME TO retired_search;
CREATE VIRTUAL TABLE lines_search USING fts5(text, content = '', contentless_delete = 1, tokenize = 'trigram');
CREATE VIRTUAL TABLE lines_short USING fts5(grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
INSERT INTO lines_search (lines_search, rank) VALUES ('automerge', 0);
INSERT INTO lines_short (lines_short, rank) VALUES ('automerge', 0);
CREATE TABLE search_progress (indexed_upto INTEGER NOT NULL);
INSERT INTO search_progress (indexed_upto) VALUES (0);
CREATE TABLE search_stale (line_id INTEGER PRIMARY KEY);
CREATE TRIGGER search_stale_on_update AFTER UPDATE OF text ON lines
  WHEN old.text IS NOT new.text AND old.id <= (SELECT indexed_upto FROM search_progress)
    AND NOT EXISTS (SELECT 1 FROM search_stale WHERE line_id = old.id) BEGIN
  -- Not INSERT OR IGNORE: inside a trigger, the store's upsert (ON CONFLICT) overrides the OR clause.
  INSERT INTO search_stale (line_id) VALUES (old.id);
END;
CREATE TRIGGER search_forget_on_delete AFTER DELETE ON lines
  WHEN old.id <= (SELECT indexed_upto FROM search_progress) BEGIN
  DELETE FROM lines_search WHERE rowid = -old.id;
  DELETE FROM lines_short WHERE rowid = -old.id;
  DELETE FROM search_stale WHERE line_id = old.id;
END;`;

export const MIGRATIONS: readonly string[] = [VERSION_1, VERSION_2, VERSION_3];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What the migrations need from a connection; both bindings fit. */
export interface SqlExecutor {
  exec(sql: string): void;
}

/** Runs the migrations from `fromVersion` up to the newest, one transaction each. */
export function migrate(db: SqlExecutor, fromVersion: number): void {
  for (let version = fromVersion; version < SCHEMA_VERSION; version++) {
    inWriteTransaction(db, () => {
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}
