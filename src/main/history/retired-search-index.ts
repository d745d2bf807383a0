import { inWriteTransaction, type SqlConnection, type SqlStatement } from './sqlite-connection';

/** The name schema version 3 gives version 2's search index instead of dropping it (see history-schema.ts). */
export const RETIRED_SEARCH_INDEX = 'retired_search';

/**
 * Rows deleted per step. A 10,000-conversation history's old index is about 8,500 segment rows
 * (4 kB each) and 200,000 size rows: 500 and 20,000 a step took about 4 ms here, 19 steps in all.
 */
const DEFAULT_ROWS_PER_STEP = { segments: 500, sizes: 20_000 };

export interface RetiredSearchIndexDeps {
  db: SqlConnection;
  /** The store's cache of prepared statements. */
  sql: (text: string) => SqlStatement;
  /** node-sqlite3-wasm can't reuse a statement whose last step failed: the cache is dropped after a failure. */
  forgetStatements: () => void;
}

/**
 * Version 2's full-text index, left behind by the upgrade and freed a step at a time. Dropping
 * it inside the upgrade took 50–330 ms of the open with the window waiting (SQLite visits every
 * page of a dropped table); renaming it costs a few. The steps empty its two big shadow tables
 * (FTS5 keeps an index in ordinary tables, `<name>_data` and `<name>_docsize`, which may be
 * written directly: the table is never read again), then drop what is left, which is small.
 */
export class RetiredSearchIndex {
  /** The big shadow tables still to empty, each with its rows per step; looked up once. */
  readonly #shadowTables: Array<{ table: string; rowsPerStep: number }>;
  #present: boolean;

  constructor(
    private readonly deps: RetiredSearchIndexDeps,
    rowsPerStep: { segments: number; sizes: number } = DEFAULT_ROWS_PER_STEP,
  ) {
    const shadowTables = [
      { table: `${RETIRED_SEARCH_INDEX}_data`, rowsPerStep: rowsPerStep.segments },
      { table: `${RETIRED_SEARCH_INDEX}_docsize`, rowsPerStep: rowsPerStep.sizes },
    ];
    const names = [RETIRED_SEARCH_INDEX, ...shadowTables.map(({ table }) => table)];
    const tables = new Set(
      deps
        .sql(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (${names.map(() => '?').join(', ')})`)
        .all(names)
        .map((row) => String(row.name)),
    );
    this.#present = tables.has(RETIRED_SEARCH_INDEX);
    this.#shadowTables = shadowTables.filter(({ table }) => tables.has(table));
  }

  /**
   * Frees one step's worth; returns whether more is left. A failure (read-only file, a lock held
   * too long) returns false and leaves the rest to the next start: the old index only takes room.
   */
  step(): boolean {
    if (!this.#present) return false;
    const { db, sql } = this.deps;
    try {
      this.#present = inWriteTransaction(db, () => {
        let left = false;
        for (const { table, rowsPerStep } of this.#shadowTables) {
          sql(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`).run([rowsPerStep]);
          if (Number(sql(`SELECT EXISTS (SELECT 1 FROM ${table}) AS left`).get()?.left) === 1) left = true;
        }
        if (left) return true;
        db.exec(`DROP TABLE ${RETIRED_SEARCH_INDEX}`);
        return false;
      });
    } catch {
      this.deps.forgetStatements();
      this.#present = false;
    }
    return this.#present;
  }
}
