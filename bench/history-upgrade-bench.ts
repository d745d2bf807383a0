/**
 * Opening a history written by schema version 2 (the bench's 10,000 conversations × 20 lines):
 * the upgrade drops the old search index, and every line waits to be indexed anew. Opening
 * leaves that to steps the warm-up runs one per tick; until they are done a search scans the
 * lines not indexed yet. Part of history-bench.ts.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { ConversationStore } from '../src/main/history/conversation-store';
import { historyFilePath } from '../src/main/history/history-location';
import { MIGRATIONS } from '../src/main/history/history-schema';
import type { SqlConnection, SqlConnector } from '../src/main/history/sqlite-connection';
import { connectBetterSqlite3 } from './better-sqlite3-connection';
import { summarize, type Figure } from './figures';

/** Each open upgrades its own copy of the version 2 file. */
const OPENS = 3;
/** Searches timed while nothing is indexed yet (the slowest they get). */
const SEARCHES_WHILE_BEHIND = 20;

/** Writes the version 2 file with better-sqlite3, the way version 2 wrote (its triggers fill its trigram index). */
export function buildVersion2Database(dataDir: string, writeConversations: (connection: SqlConnection) => unknown): void {
  mkdirSync(dataDir, { recursive: true });
  const connection = connectBetterSqlite3(historyFilePath(dataDir));
  connection.exec(MIGRATIONS[0]!);
  connection.exec(MIGRATIONS[1]!);
  connection.exec('PRAGMA user_version = 2');
  connection.exec('BEGIN');
  writeConversations(connection);
  connection.exec('COMMIT');
  connection.close();
}

function timed(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

/**
 * The open of a version 2 file of `lines` lines (beside the bench's open of a current one);
 * with `catchUp`, also searches while nothing is indexed and the steps that index it all.
 */
export function measureUpgrade(
  binding: string,
  version2Dir: string,
  options: { connect: SqlConnector; queries: string[]; lines: number; catchUp: boolean },
): Figure[] {
  const { connect, queries, lines, catchUp } = options;
  const copies: string[] = [];
  try {
    const opens = Array.from({ length: OPENS }, (_, index) => {
      const dir = `${version2Dir}-${binding}-${index}`;
      mkdirSync(dir, { recursive: true });
      copyFileSync(historyFilePath(version2Dir), historyFilePath(dir));
      copies.push(dir);
      return timed(() => ConversationStore.open(dir, { connect }).dispose());
    });
    const figures = [summarize(`history ${binding}: open a version 2 file (upgrade; re-index left to later steps)`, 'ms', opens, 50)];
    if (!catchUp) return figures;
    const store = ConversationStore.open(copies[0]!, { connect, writer: true });
    try {
      const behind = queries.slice(0, SEARCHES_WHILE_BEHIND).map((query) => timed(() => store.search(query, 50)));
      const steps: number[] = [];
      for (let more = true; more; ) steps.push(timed(() => (more = store.indexStep())));
      const total = steps.reduce((sum, ms) => sum + ms, 0) / 1000;
      figures.push(
        // Not an issue target: a search while the whole history waits (it scans every line; my budget: 500 ms).
        summarize(`history ${binding}: search before the re-index has started (scans ${lines.toLocaleString('en')} lines)`, 'ms', behind, 500),
        // Not an issue target: each step blocks the engine for this long, for one session after the upgrade (my budget: 100 ms).
        summarize(`history ${binding}: re-index after the upgrade, ${steps.length} steps (${total.toFixed(1)} s in all)`, 'ms', steps, 100),
      );
      return figures;
    } finally {
      store.dispose();
    }
  } finally {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  }
}
