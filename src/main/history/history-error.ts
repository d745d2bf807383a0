import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { enErrors } from '../../shared/i18n/en-errors';
import type { MessageText } from '../user-facing-error';
import { historyWords } from './history-words';

/**
 * A history problem worded for the person using Parley. The store throws only these, so
 * callers can show `message` as it is; `kind` lets code react (e.g. the CLI's exit status).
 */
export type HistoryProblem = 'read-only' | 'full' | 'locked' | 'corrupt' | 'missing' | 'newer-version' | 'export' | 'other';

/** What Parley was doing when the history failed: a key of `errors.history.doing`, whose words go into the sentence. */
export type HistoryAction = keyof typeof enErrors.history.doing;

/** A sentence's English, from the same template the window translates. */
function inEnglish(text: MessageText): string {
  return historyWords('en')(text.key, text.params ?? {});
}

/**
 * The error carries its sentence's key and values (`text`), so the window says it in the
 * chosen language; `message` is that sentence in English, rendered from the same template
 * (headless mode, the CLI and the log), so the two can never say different things.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';

  constructor(
    readonly kind: HistoryProblem,
    readonly text: MessageText,
    options?: { cause?: unknown },
  ) {
    super(inEnglish(text), options);
  }
}

/** Something about the history the user should know that stopped nothing (a file set aside, a read-only file), keyed like HistoryError. */
export interface HistoryNotice {
  message: string;
  text: MessageText;
}

export function historyNotice(key: 'setAside' | 'readOnly' | 'notOpened', params: Record<string, string>): HistoryNotice {
  const text = { key: `errors.history.notice.${key}`, params };
  return { message: inEnglish(text), text };
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
export function toHistoryError(error: unknown, doing: HistoryAction, file: string): HistoryError {
  if (error instanceof HistoryError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code ?? (/disk I\/O error/i.test(detail) ? diagnoseIoError(file) : undefined);
  const problem = (kind: HistoryProblem, key: string, params: Record<string, string> = {}): HistoryError =>
    new HistoryError(kind, { key: `errors.history.${key}`, params: { doing, file, ...params } }, { cause: error });
  if (/readonly|read-only/i.test(detail) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return problem('read-only', 'readOnly');
  if (/disk is full|database or disk is full/i.test(detail) || code === 'ENOSPC') return problem('full', 'full');
  if (/database is locked|busy/i.test(detail)) return problem('locked', 'locked');
  if (/not a database|malformed|corrupt/i.test(detail)) return problem('corrupt', 'corrupt');
  return problem('other', 'failed', { detail });
}
