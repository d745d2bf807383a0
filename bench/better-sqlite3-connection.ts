import { createRequire } from 'node:module';
import type { SqlConnection, SqlRow, SqlValue } from '../src/main/history/sqlite-connection';

/** The part of better-sqlite3's API used here (the package ships no types, and @types is not installed). */
interface NativeStatement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
}
interface NativeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NativeStatement;
  close(): void;
}
type NativeDatabaseClass = new (path: string, options?: { readonly?: boolean }) => NativeDatabase;

const require = createRequire(import.meta.url);

/**
 * better-sqlite3 behind the history's SqlConnection, for the bench only: a native addon that
 * Electron could load only after a rebuild against its headers, which needs a download.
 */
export function connectBetterSqlite3(path: string, options: { readOnly?: boolean } = {}): SqlConnection {
  const Database = require('better-sqlite3') as NativeDatabaseClass;
  const db = new Database(path, { readonly: options.readOnly ?? false });
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      const statement = db.prepare(sql);
      return {
        run: (params = []) => {
          const result = statement.run(...params);
          return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
        },
        get: (params = []) => statement.get(...params),
        all: (params = []) => statement.all(...params),
      };
    },
    close: () => db.close(),
  };
}
