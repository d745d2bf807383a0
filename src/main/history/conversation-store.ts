import { closeSync, fsyncSync, openSync } from 'node:fs';
import type { HistoryConversation, HistoryLine, HistoryLineRole, HistoryLineStatus, HistorySummary } from '../../shared/history';
import { openHistoryDatabase, type OpenHistoryOptions } from './history-database';
import { HistoryError, toHistoryError, type HistoryAction, type HistoryNotice } from './history-error';
import { historyFilePath } from './history-location';
import { findMatches, type SearchMatch } from './history-search';
import { RetiredSearchIndex } from './retired-search-index';
import { LINES_PER_INDEX_STEP, SearchIndex } from './search-index';
import { inWriteTransaction, type SqlConnection, type SqlRow, type SqlStatement } from './sqlite-connection';

/** The shapes the window gets too (src/shared/history.ts); a line being written has no time yet. */
export type LineRole = HistoryLineRole;
/** `streaming`: still being written (or cut off by a crash, until the next start marks it `incomplete`). */
export type LineStatus = HistoryLineStatus;
export type StoredLine = HistoryLine;
export type ConversationSummary = HistorySummary;
export type Conversation = HistoryConversation;

export interface LineInput extends Omit<HistoryLine, 'at'> {
  /** Unique within the conversation: the transcript's itemId, `tool:<callId>`, `error:<n>`. */
  key: string;
}

const TITLE_CHARACTERS = 60;

/**
 * Past conversations in SQLite. Every method either does what it says or throws a
 * HistoryError whose message is a sentence for the user; a failed write is rolled back,
 * so what was stored before stays intact.
 */
export class ConversationStore {
  /** A repair made while opening (a damaged file set aside), for the window to show once. */
  readonly notice: HistoryNotice | null;
  readonly #db: SqlConnection;
  readonly #statements = new Map<string, SqlStatement>();
  readonly #index: SearchIndex;
  readonly #retiredIndex: RetiredSearchIndex;
  readonly #linesPerIndexStep: number;
  #disposed = false;

  private constructor(
    readonly path: string,
    opened: { connection: SqlConnection; notice: HistoryNotice | null },
    linesPerIndexStep: number,
  ) {
    this.#linesPerIndexStep = linesPerIndexStep;
    this.#db = opened.connection;
    this.notice = opened.notice;
    const deps = { db: this.#db, sql: (sql: string) => this.#sql(sql), forgetStatements: () => this.#statements.clear() };
    this.#index = new SearchIndex(deps);
    // After an upgrade every line waits to be indexed anew, and the old index to be freed: that
    // is done in steps (indexStep), not here, where 10,000 conversations took 44 s with the window waiting.
    this.#retiredIndex = this.#guard('openHistory', () => new RetiredSearchIndex(deps));
    this.#guard('openHistory', () => this.#index.checkBehind());
  }

  /**
   * Opens `<dataDir>/history.sqlite`, creating, repairing or migrating it as needed.
   * `linesPerIndexStep` bounds the lines indexed at once (tests make it small to watch a catch-up).
   */
  static open(dataDir: string, options: OpenHistoryOptions & { linesPerIndexStep?: number } = {}): ConversationStore {
    const path = historyFilePath(dataDir);
    const opened = openHistoryDatabase(path, options);
    try {
      return new ConversationStore(path, opened, options.linesPerIndexStep ?? LINES_PER_INDEX_STEP);
    } catch (error) {
      opened.connection.close();
      throw error;
    }
  }

  createConversation(startedAt: number = Date.now()): number {
    return this.#guard('startConversation', () => Number(this.#sql('INSERT INTO conversations (started_at) VALUES (?) RETURNING id').get([startedAt])!.id));
  }

  /**
   * Stores a line, or updates it if its key is already in the conversation. A new line goes
   * after every line already there, so lines keep the order in which their turns started.
   */
  saveLine(conversationId: number, line: LineInput, at: number = Date.now()): void {
    this.#guard('saveConversation', () => {
      try {
        inWriteTransaction(this.#db, () => {
          const saved = this.#sql(
            `INSERT INTO lines (conversation_id, item_key, role, text, status, at, updated_at, detail, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM lines WHERE conversation_id = ?))
             ON CONFLICT (conversation_id, item_key) DO UPDATE SET
               text = excluded.text, status = excluded.status, updated_at = excluded.updated_at, detail = coalesce(excluded.detail, detail)
             RETURNING position`,
          ).get([conversationId, line.key, line.role, line.text, line.status, at, at, line.detail ? JSON.stringify(line.detail) : null, conversationId]);
          if ((line.role === 'user' || line.role === 'assistant') && line.text.trim() !== '') {
            this.#sql(
              `UPDATE conversations SET title = ?, title_position = ? WHERE id = ? AND (title_position IS NULL OR title_position >= ?)`,
            ).run([titleFrom(line.text), saved!.position!, conversationId, saved!.position!]);
          }
        });
      } catch (error) {
        if (/FOREIGN KEY/i.test(String(error))) throw missing(conversationId);
        throw error;
      }
      this.#index.noteWrite();
    });
  }

  /** At start-up: lines a killed Parley left streaming were cut off. Returns how many. */
  markStreamingIncomplete(): number {
    return this.#guard('markCutOff', () => this.#sql(`UPDATE lines SET status = 'incomplete' WHERE status = 'streaming'`).run().changes);
  }

  /** Newest first. */
  list(): ConversationSummary[] {
    return this.#guard('listConversations', () =>
      this.#sql(
        `SELECT c.id, c.title, c.started_at, (SELECT count(*) FROM lines l WHERE l.conversation_id = c.id) AS line_count
         FROM conversations c ORDER BY c.started_at DESC, c.id DESC`,
      )
        .all()
        .map((row) => ({ id: Number(row.id), title: String(row.title ?? ''), startedAt: Number(row.started_at), lineCount: Number(row.line_count) })),
    );
  }

  get(id: number): Conversation {
    return this.#guard('openConversation', () => {
      const row = this.#sql('SELECT id, title, started_at FROM conversations WHERE id = ?').get([id]);
      if (!row) throw missing(id);
      const lines = this.#sql('SELECT item_key, role, text, status, at, detail FROM lines WHERE conversation_id = ? ORDER BY position').all([id]);
      return { id, title: String(row.title ?? ''), startedAt: Number(row.started_at), lines: lines.map(toStoredLine) };
    });
  }

  /** Newest matches first; `query` is matched as a substring, in any script, ignoring case. */
  search(query: string, limit = 50): SearchMatch[] {
    return this.#guard('searchHistory', () => {
      this.#index.maintain({ tidy: false, lines: this.#linesPerIndexStep, backlog: 'leave' });
      return findMatches((sql) => this.#sql(sql), query, limit, (needle, count) => this.#index.unindexedMatches(needle, count));
    });
  }

  /**
   * One step of freeing the index an upgrade left behind, or of indexing what is waiting (the
   * whole history after an upgrade), merging index segments as it goes; for the warm-up to
   * call once per tick. Returns whether more waits (false too once a step failed: a search
   * then scans what isn't indexed, and says why if it can't).
   */
  indexStep(): boolean {
    if (this.#disposed) return false;
    // The old index's pages are freed first, so that the new one reuses them rather than grow the file.
    if (this.#retiredIndex.step()) return true;
    return this.#index.maintain({ tidy: true, lines: this.#linesPerIndexStep, backlog: 'step' });
  }

  /**
   * For the search warm-up (see search-warm-up.ts): compares the text of up to `count` lines
   * older than `beforeId`, newest first, with a pattern nothing matches. Returns the id to
   * continue below, or null once the oldest line was read.
   */
  readLinesForWarmUp(beforeId: number | null, count: number): number | null {
    return this.#guard('searchHistory', () => {
      const row = this.#sql(
        `SELECT min(id) AS oldest, count(*) AS read, sum(text LIKE '%' || char(1) || '%') AS matched FROM (SELECT id, text FROM lines WHERE id < ? ORDER BY id DESC LIMIT ?)`,
      ).get([beforeId ?? Number.MAX_SAFE_INTEGER, count]);
      return Number(row?.read ?? 0) < count ? null : Number(row!.oldest);
    });
  }

  delete(id: number): void {
    this.#guard('deleteConversation', () => {
      if (this.#sql('DELETE FROM conversations WHERE id = ?').run([id]).changes === 0) throw missing(id);
    });
  }

  deleteAll(): void {
    this.#guard('deleteHistory', () => {
      inWriteTransaction(this.#db, () => {
        this.#index.clear();
        this.#db.exec('DELETE FROM lines; DELETE FROM conversations');
      });
    });
  }

  /**
   * Indexes the lines stored since the last search (one step's worth: a backlog is left to
   * indexStep) and merges index segments, then forces what was written onto the disk
   * (synchronous = OFF leaves that to the OS). Cheap enough to call a couple of seconds
   * after a reply; failures are ignored since the data is already in the OS's hands and the
   * next call (or search) tries again.
   */
  flushToDisk(): void {
    if (!this.#disposed) this.#index.maintain({ tidy: true, lines: this.#linesPerIndexStep, backlog: 'step' });
    try {
      const fd = openSync(this.path, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // read-only or vanished file: nothing more we can do here
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#statements.clear();
    this.#db.close();
  }

  #sql(sql: string): SqlStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #guard<T>(doing: HistoryAction, work: () => T): T {
    if (this.#disposed) throw new HistoryError('other', { key: 'errors.history.closed', params: { doing } });
    try {
      return work();
    } catch (error) {
      // node-sqlite3-wasm can't reuse a statement whose last step failed: prepare afresh next time.
      this.#statements.clear();
      throw toHistoryError(error, doing, this.path);
    }
  }
}

function missing(id: number): HistoryError {
  return new HistoryError('missing', { key: 'errors.history.missing', params: { id } });
}

function toStoredLine(row: SqlRow): StoredLine {
  const detail = row.detail === null ? undefined : (JSON.parse(String(row.detail)) as Record<string, unknown>);
  return {
    key: String(row.item_key),
    role: String(row.role) as LineRole,
    text: String(row.text),
    status: String(row.status) as LineStatus,
    at: Number(row.at),
    ...(detail ? { detail } : {}),
  };
}

/** The first words, cut at a word boundary where the script has spaces, else by characters. */
export function titleFrom(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if ([...flat].length <= TITLE_CHARACTERS) return flat;
  const cut = [...flat].slice(0, TITLE_CHARACTERS).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARACTERS / 2 ? cut.slice(0, space) : cut}…`;
}

export type { SearchMatch };
