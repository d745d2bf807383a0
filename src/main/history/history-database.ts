import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HistoryError, historyNotice, toHistoryError, type HistoryNotice } from './history-error';
import { SCHEMA_VERSION, migrate } from './history-schema';
import { connectWasm, type SqlConnection, type SqlConnector } from './sqlite-connection';

export interface OpenHistoryOptions {
  connect?: SqlConnector;
  /** How long a statement waits for another connection's lock before giving up. */
  busyTimeoutMs?: number;
  /** The engine's own store: it records this process as the writer, so a later start can tell a dead writer's lock from a live one. */
  writer?: boolean;
}

export interface OpenedHistory {
  connection: SqlConnection;
  /** One sentence for the user when something had to be repaired, else null. */
  notice: HistoryNotice | null;
}

/** No transaction of Parley's holds the lock this long; an older lock was left by a killed process. */
const STALE_LOCK_MS = 10_000;

/**
 * Opens (or creates) the history database, recovering from what a crash or a damaged disk
 * can leave behind:
 * - a file that is not a database (or whose schema is unreadable) is renamed to
 *   `<file>.corrupt-<date>` and a fresh one is started, with a notice;
 * - the lock node-sqlite3-wasm keeps as a `<file>.lock` directory is removed when the process
 *   that held it is gone (kill -9 mid-write would otherwise lock the file forever);
 * - a schema from an older Parley is migrated; one from a newer Parley is left untouched.
 * Throws HistoryError (a sentence) when the file can't be opened at all.
 */
export function openHistoryDatabase(path: string, options: OpenHistoryOptions = {}): OpenedHistory {
  const connect = options.connect ?? connectWasm;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw toHistoryError(error, 'createFolder', dirname(path));
  }
  removeStaleLock(path);
  let notice: HistoryNotice | null = null;
  let connection: SqlConnection;
  try {
    connection = connect(path);
  } catch (error) {
    // The binding opens read-write; on a read-only disk only a read-only open succeeds.
    if (!existsSync(path)) throw toHistoryError(error, 'openHistory', path);
    try {
      connection = connect(path, { readOnly: true });
    } catch {
      throw toHistoryError(error, 'openHistory', path);
    }
  }
  let version: number;
  try {
    version = readVersion(connection);
  } catch (error) {
    connection.close();
    if (toHistoryError(error, 'openHistory', path).kind !== 'corrupt') throw toHistoryError(error, 'openHistory', path);
    const aside = setAside(path);
    notice = historyNotice('setAside', { aside });
    connection = connect(path);
    version = readVersion(connection);
  }
  if (version > SCHEMA_VERSION) {
    connection.close();
    throw new HistoryError('newer-version', { key: 'errors.history.newerVersion', params: { file: path } });
  }
  try {
    configure(connection, options.busyTimeoutMs ?? 1000);
    migrate(connection, version);
  } catch (error) {
    const problem = toHistoryError(error, 'prepareFile', path);
    // A current file on a read-only disk can still be read: show the past, say new turns won't be kept.
    if (problem.kind !== 'read-only' || version !== SCHEMA_VERSION) {
      connection.close();
      throw problem;
    }
    notice = historyNotice('readOnly', { file: path });
  }
  if (options.writer) {
    try {
      writeFileSync(writerFile(path), String(process.pid));
    } catch {
      // Only used to spot a dead writer's lock later; a read-only folder is reported above.
    }
  }
  return { connection, notice };
}

function readVersion(connection: SqlConnection): number {
  // Reading the schema makes SQLite parse the header and sqlite_master: garbage fails here.
  connection.prepare('SELECT count(*) AS tables FROM sqlite_master').get();
  return Number(connection.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}

function configure(connection: SqlConnection, busyTimeoutMs: number): void {
  connection.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  connection.exec('PRAGMA foreign_keys = ON');
  // node-sqlite3-wasm's file layer has no shared memory, so WAL is out; PERSIST keeps the
  // rollback journal file between transactions instead of creating and deleting it each time.
  connection.exec('PRAGMA journal_mode = PERSIST');
  // Every commit still reaches the operating system before the call returns, so a crash or
  // kill -9 of Parley loses nothing; skipping fsync only exposes the last seconds to a power
  // cut or kernel crash, and ConversationStore.flushToDisk() bounds that window. With fsync
  // on, storing a line took 1.5–7 ms here, against < 0.5 ms without.
  connection.exec('PRAGMA synchronous = OFF');
  // A trigram search for a common word reads long posting lists; SQLite's default 2 MB page
  // cache made every search read them again through node-sqlite3-wasm's file layer (~10×
  // slower on a 10,000-conversation history). 32 MB is the ceiling, not an allocation.
  connection.exec('PRAGMA cache_size = -32000');
}

function setAside(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${path}.corrupt-${stamp}`;
  try {
    renameSync(path, aside);
    for (const suffix of ['-journal', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  } catch (error) {
    throw toHistoryError(error, 'setAside', path);
  }
  return aside;
}

function writerFile(path: string): string {
  return `${path}.writer-pid`;
}

function removeStaleLock(path: string): void {
  const lock = `${path}.lock`;
  let lockedAt: number;
  try {
    lockedAt = statSync(lock).mtimeMs;
  } catch {
    return; // not locked
  }
  if (writerIsGone(path) || Date.now() - lockedAt > STALE_LOCK_MS) {
    try {
      rmdirSync(lock);
    } catch {
      // Someone else removed it first, or it is not ours to remove: the busy timeout decides.
    }
  }
}

function writerIsGone(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(writerFile(path), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return pid !== process.pid;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
