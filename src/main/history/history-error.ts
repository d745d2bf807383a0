import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A history problem worded for the person using Parley. The store throws only these, so
 * callers can show `message` as it is; `kind` lets code react (e.g. the CLI's exit status).
 */
export type HistoryProblem = 'read-only' | 'full' | 'locked' | 'corrupt' | 'missing' | 'newer-version' | 'export' | 'other';

export class HistoryError extends Error {
  override readonly name = 'HistoryError';

  constructor(
    readonly kind: HistoryProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Below this, a failed write is put down to a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * node-sqlite3-wasm reports every failed write or lock as "disk I/O error", whether the disk
 * is read-only or full; the file system itself can still tell which.
 */
function diagnoseIoError(file: string): string | undefined {
  const folder = dirname(file);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  try {
    const space = statfsSync(folder);
    if (space.bavail * space.bsize < NEARLY_FULL_BYTES) return 'ENOSPC';
  } catch {
    // no answer: leave it a plain I/O error
  }
  return undefined;
}

/**
 * Turns what SQLite or the file system threw into a sentence. SQLite's own messages are
 * matched by text because node-sqlite3-wasm reports no result codes, only sqlite3_errmsg().
 */
export function toHistoryError(error: unknown, doing: string, file: string): HistoryError {
  if (error instanceof HistoryError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code ?? (/disk I\/O error/i.test(detail) ? diagnoseIoError(file) : undefined);
  if (/readonly|read-only/i.test(detail) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new HistoryError(
      'read-only',
      `Parley could not ${doing} because the history file ${file} is read-only; make it (or its folder) writable, or turn off Keep history.`,
      { cause: error },
    );
  }
  if (/disk is full|database or disk is full/i.test(detail) || code === 'ENOSPC') {
    return new HistoryError('full', `Parley could not ${doing} because the disk holding ${file} is full; free some space and it will be saved again.`, {
      cause: error,
    });
  }
  if (/database is locked|busy/i.test(detail)) {
    return new HistoryError(
      'locked',
      `Parley could not ${doing} because another program is using the history file ${file}; close it (or the other Parley) and try again.`,
      { cause: error },
    );
  }
  if (/not a database|malformed|corrupt/i.test(detail)) {
    return new HistoryError('corrupt', `Parley could not ${doing} because the history file ${file} is damaged; restart Parley to set it aside and start a new one.`, {
      cause: error,
    });
  }
  return new HistoryError('other', `Parley could not ${doing} (${detail}); your earlier history in ${file} is unchanged.`, { cause: error });
}
