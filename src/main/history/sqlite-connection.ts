import { createRequire } from 'node:module';
import type * as Wasm from 'node-sqlite3-wasm';
import type { Database as WasmDatabase, Statement as WasmStatement, SQLiteValue } from 'node-sqlite3-wasm';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

/** A prepared statement with positional parameters. */
export interface SqlStatement {
  run(params?: readonly SqlValue[]): { changes: number; lastInsertRowid: number };
  get(params?: readonly SqlValue[]): SqlRow | undefined;
  all(params?: readonly SqlValue[]): SqlRow[];
}

/**
 * The little of a SQLite binding the history needs. The app uses node-sqlite3-wasm (no native
 * build, so the same file runs in Node and in Electron); the bench plugs better-sqlite3 in
 * behind the same shape to compare the two on identical SQL.
 */
export interface SqlConnection {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

export type SqlConnector = (path: string, options?: { readOnly?: boolean }) => SqlConnection;

// The package is CommonJS with no ESM named exports.
const require = createRequire(import.meta.url);
const wasm = require('node-sqlite3-wasm') as typeof Wasm;

/** node-sqlite3-wasm: SQLite compiled to WebAssembly, reading and writing the file through Node's fs. */
export function connectWasm(path: string, options: { readOnly?: boolean } = {}): SqlConnection {
  return new WasmConnection(new wasm.Database(path, { readOnly: options.readOnly ?? false }));
}

class WasmConnection implements SqlConnection {
  // Statements live in WebAssembly memory, which no garbage collector frees: finalize them on close.
  readonly #statements: WasmStatement[] = [];

  constructor(private readonly db: WasmDatabase) {}

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    const statement = this.db.prepare(sql);
    this.#statements.push(statement);
    const values = (params?: readonly SqlValue[]): SQLiteValue[] => (params ? [...params] : []);
    return {
      run: (params) => {
        const result = statement.run(values(params));
        return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
      },
      // Stepping to the end (not stopping at the first row) resets the statement, so no read
      // lock is left behind and RETURNING writes complete.
      get: (params) => (statement.all(values(params)) as SqlRow[])[0],
      all: (params) => statement.all(values(params)) as SqlRow[],
    };
  }

  close(): void {
    for (const statement of this.#statements) {
      try {
        if (!statement.isFinalized) statement.finalize();
      } catch {
        // finalize() repeats the statement's last error (already reported); the memory is freed anyway.
      }
    }
    this.#statements.length = 0;
    if (this.db.isOpen) this.db.close();
  }
}

/**
 * Runs `work` in one write transaction: committed whole, or rolled back and its error rethrown.
 * `db` is anything that executes SQL, so both bindings (and the migrations) use it.
 */
export function inWriteTransaction<T>(db: { exec(sql: string): void }, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (full disk, I/O error): the original error is the one to report
    }
    throw error;
  }
}
