import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryError, toHistoryError, type HistoryAction } from '../../../src/main/history/history-error';
import { writeExport } from '../../../src/main/history/history-export';
import { historyFilePath } from '../../../src/main/history/history-location';
import { SCHEMA_VERSION } from '../../../src/main/history/history-schema';
import { connectWasm } from '../../../src/main/history/sqlite-connection';
import { enErrors } from '../../../src/shared/i18n/en-errors';
import { temporaryDataDir } from '../history/history-fixtures';
import { chinese, expectKeyedTranslation } from './keyed-error-check';

/**
 * Every problem with the history file carries a key, so the window says it in the chosen
 * language; the English template gives the very message the CLI and log print.
 */
function asFailure(error: unknown): { code: 'refused'; message: string; messageKey?: string; params?: Record<string, string | number> } {
  expect(error).toBeInstanceOf(HistoryError);
  const { message, text } = error as HistoryError;
  return { code: 'refused', message, messageKey: text.key, ...(text.params ? { params: text.params } : {}) };
}

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const FILE = '/home/me/.config/Parley/history.sqlite';
const errno = (code: string): Error => Object.assign(new Error(`${code}: failed`), { code });

describe('history errors in the chosen language', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  beforeEach(() => {
    data = temporaryDataDir();
  });
  afterEach(() => data.remove());

  it.each(Object.keys(enErrors.history.doing) as HistoryAction[])('says what Parley was doing (%s) in both languages', (doing) => {
    const translated = expectKeyedTranslation(asFailure(toHistoryError(errno('EROFS'), doing, FILE)), 'errors.history.readOnly');
    expect(translated).toContain(chinese.t(`errors.history.doing.${doing}`));
  });

  it.each([
    ['read-only', errno('EACCES'), 'errors.history.readOnly'],
    ['full', new Error('database or disk is full'), 'errors.history.full'],
    ['locked', new Error('database is locked'), 'errors.history.locked'],
    ['corrupt', new Error('file is not a database'), 'errors.history.corrupt'],
    ['other', new Error('no such table: lines'), 'errors.history.failed'],
  ])('words a %s file for the window', (kind, cause, key) => {
    const problem = toHistoryError(cause, 'saveConversation', FILE);
    expect(problem.kind).toBe(kind);
    expectKeyedTranslation(asFailure(problem), key);
  });

  it('words what the store itself refuses: a missing conversation, a closed history, a newer file', () => {
    const store = ConversationStore.open(data.dir);
    expectKeyedTranslation(asFailure(thrownBy(() => store.get(404))), 'errors.history.missing');
    store.dispose();
    expectKeyedTranslation(asFailure(thrownBy(() => store.search('rain'))), 'errors.history.closed');

    const newer = connectWasm(historyFilePath(data.dir));
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    expectKeyedTranslation(asFailure(thrownBy(() => ConversationStore.open(data.dir))), 'errors.history.newerVersion');
  });

  it('words a failed export, naming why', async () => {
    const folder = join(data.dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const failure = async (path: string): Promise<ReturnType<typeof asFailure>> => asFailure(await rejectionOf(writeExport(path, 'x')));
    expectKeyedTranslation(await failure(join(data.dir, 'missing', 'x.md')), 'errors.history.export.noFolder');
    expectKeyedTranslation(await failure(folder), 'errors.history.export.isFolder');
    // Linux's own refusals stand in for a full disk and a place Parley may not write (tests run as root).
    expectKeyedTranslation(await failure('/dev/full'), 'errors.history.export.full');
    expectKeyedTranslation(await failure('/sys/kernel/notes'), 'errors.history.export.notAllowed');
    expectKeyedTranslation(await failure(join(folder, 'nul\0.md')), 'errors.history.export.failed');
  });
});
