import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryError, historyNotice, toHistoryError, type HistoryAction, type HistoryNotice } from '../../../src/main/history/history-error';
import { HistoryRecorder } from '../../../src/main/history/history-recorder';
import type { MessageText } from '../../../src/main/user-facing-error';
import { writeExport } from '../../../src/main/history/history-export';
import { historyFilePath } from '../../../src/main/history/history-location';
import { SCHEMA_VERSION } from '../../../src/main/history/history-schema';
import { connectWasm } from '../../../src/main/history/sqlite-connection';
import { enErrors } from '../../../src/shared/i18n/en-errors';
import { EventSource, temporaryDataDir } from '../history/history-fixtures';
import { chinese, expectKeyedTranslation } from './keyed-error-check';

/**
 * Every problem with the history file carries a key, so the window says it in the chosen
 * language; the English template gives the very message the CLI and log print.
 */
type Failure = { code: 'refused'; message: string; messageKey?: string; params?: Record<string, string | number> };

/** A keyed sentence in the shape the window gets it (an IPC failure). */
function failureOf({ message, text }: { message: string; text: MessageText }): Failure {
  return { code: 'refused', message, messageKey: text.key, ...(text.params ? { params: text.params } : {}) };
}

function asFailure(error: unknown): Failure {
  expect(error).toBeInstanceOf(HistoryError);
  return failureOf(error as HistoryError);
}

function noticeFailure(notice: HistoryNotice | null): Failure {
  expect(notice).not.toBeNull();
  return failureOf(notice!);
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

  it('words the notices about the file: a damaged one set aside, a write the recorder could not make', () => {
    mkdirSync(data.dir, { recursive: true });
    writeFileSync(historyFilePath(data.dir), 'not a database '.repeat(300));
    const repaired = ConversationStore.open(data.dir);
    repaired.dispose();
    expectKeyedTranslation(noticeFailure(repaired.notice), 'errors.history.notice.setAside');

    const readOnly = ConversationStore.open(data.dir, { connect: (path) => connectWasm(path, { readOnly: true }) });
    const notices: Array<{ sentence: string; text?: MessageText }> = [];
    const events = new EventSource();
    const recorder = new HistoryRecorder({ store: readOnly, subscribe: events.subscribe, keepHistory: true, onNotice: (sentence, text) => notices.push({ sentence, text }) });
    try {
      events.emit({ type: 'transcript', role: 'user', itemId: 'u', text: 'lost?', final: true });
      expect(notices).toHaveLength(1);
      expectKeyedTranslation(failureOf({ message: notices[0]!.sentence, text: notices[0]!.text! }), 'errors.history.readOnly');
    } finally {
      recorder.dispose();
      readOnly.dispose();
    }
  });

  it('has the notices that need a disk this test cannot have: a read-only current file, a history that would not open', () => {
    // As root, a read-only file opens with the binding's read-only flag and needs no repair notice; a read-only disk fails the open outright (history-bad-input.test.ts).
    expectKeyedTranslation(noticeFailure(historyNotice('readOnly', { file: FILE })), 'errors.history.notice.readOnly');
    expectKeyedTranslation(noticeFailure(historyNotice('notOpened', { detail: 'Error: out of memory' })), 'errors.history.notice.notOpened');
  });

  it('words a failed export, naming why', async () => {
    const folder = join(data.dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const failure = async (path: string): Promise<Failure> => asFailure(await rejectionOf(writeExport(path, 'x')));
    expectKeyedTranslation(await failure(join(data.dir, 'missing', 'x.md')), 'errors.history.export.noFolder');
    expectKeyedTranslation(await failure(folder), 'errors.history.export.isFolder');
    // Linux's own refusals stand in for a full disk and a place Parley may not write (tests run as root).
    expectKeyedTranslation(await failure('/dev/full'), 'errors.history.export.full');
    expectKeyedTranslation(await failure('/sys/kernel/notes'), 'errors.history.export.notAllowed');
    expectKeyedTranslation(await failure(join(folder, 'nul\0.md')), 'errors.history.export.failed');
  });
});
