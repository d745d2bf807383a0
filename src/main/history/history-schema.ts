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
 * Chinese) fall back to LIKE in the store.
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

export const MIGRATIONS: readonly string[] = [VERSION_1, VERSION_2];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What the migrations need from a connection; both bindings fit. */
export interface SqlExecutor {
  exec(sql: string): void;
}

/** Runs the migrations from `fromVersion` up to the newest, one transaction each. */
export function migrate(db: SqlExecutor, fromVersion: number): void {
  for (let version = fromVersion; version < SCHEMA_VERSION; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (full disk, I/O error): the original error is the one to report
      }
      throw error;
    }
  }
}
