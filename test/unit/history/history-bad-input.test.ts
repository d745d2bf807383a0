import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryError } from '../../../src/main/history/history-error';
import { conversationToMarkdown, writeExport } from '../../../src/main/history/history-export';
import { historyFilePath } from '../../../src/main/history/history-location';
import { HistoryRecorder } from '../../../src/main/history/history-recorder';
import { connectWasm } from '../../../src/main/history/sqlite-connection';
import { EventSource, temporaryDataDir } from './history-fixtures';
import { TinyDisk } from './tiny-disk';

const canMount = (() => {
  const probe = temporaryDataDir();
  const disk = TinyDisk.mount(probe.dir, 64);
  disk?.unmount();
  probe.remove();
  return disk !== null;
})();

function storeWithOneLine(dataDir: string): number {
  const store = ConversationStore.open(dataDir, { writer: true });
  const id = store.createConversation();
  store.saveLine(id, { key: 'u', role: 'user', text: 'kept safe', status: 'final' });
  store.dispose();
  return id;
}

describe('history on bad ground', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let disk: TinyDisk | null = null;
  beforeEach(() => {
    data = temporaryDataDir();
  });
  afterEach(() => {
    disk?.unmount();
    disk = null;
    data.remove();
  });

  it.skipIf(!canMount)('read-only disk (a tmpfs remounted read-only): opening is a sentence, and the file is untouched', () => {
    disk = TinyDisk.mount(data.dir, 1024);
    const id = storeWithOneLine(data.dir);
    disk!.makeReadOnly();
    // node-sqlite3-wasm locks by creating a folder next to the file, so on a read-only disk it
    // cannot even read; the store says so instead of showing an empty history.
    expect(() => ConversationStore.open(data.dir, { writer: true })).toThrow(
      /^Parley could not open the history because the history file .* is read-only; make it \(or its folder\) writable, or turn off Keep history\.$/,
    );
    disk!.makeWritable();
    const store = ConversationStore.open(data.dir);
    expect(store.get(id).lines[0]!.text).toBe('kept safe');
    store.dispose();
  });

  it('read-only file (opened with the binding’s read-only flag, which root cannot bypass): the recorder says so once and never throws', () => {
    const id = storeWithOneLine(data.dir);
    const store = ConversationStore.open(data.dir, { connect: (path) => connectWasm(path, { readOnly: true }) });
    const events = new EventSource();
    const notices: string[] = [];
    const recorder = new HistoryRecorder({ store, subscribe: events.subscribe, keepHistory: true, onNotice: (sentence) => notices.push(sentence) });
    try {
      expect(() => events.emit({ type: 'transcript', role: 'user', itemId: 'u9', text: 'lost?', final: true })).not.toThrow();
      events.emit({ type: 'transcript', role: 'user', itemId: 'u10', text: 'again', final: true });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^Parley could not .* because the history file .* is read-only/);
      expect(store.get(id).lines.map((line) => line.text)).toEqual(['kept safe']);
    } finally {
      recorder.dispose();
      store.dispose();
    }
  });

  it.skipIf(!canMount)('full disk (a 256 KiB tmpfs): saving stops with a sentence and every line saved before is intact', () => {
    disk = TinyDisk.mount(data.dir, 256);
    const store = ConversationStore.open(data.dir, { writer: true });
    const id = store.createConversation();
    const filler = 'words that fill the disk '.repeat(40);
    let saved = 0;
    let failure: unknown = null;
    try {
      for (; saved < 10_000; saved++) store.saveLine(id, { key: `l${saved}`, role: 'assistant', text: `${saved} ${filler}`, status: 'final' });
    } catch (error) {
      failure = error;
    }
    try {
      expect(failure).toBeInstanceOf(HistoryError);
      expect((failure as HistoryError).message).toMatch(/because the disk holding .* is full; free some space/);
      const lines = store.get(id).lines;
      expect(saved).toBeGreaterThan(10);
      expect(lines).toHaveLength(saved);
      expect(lines.at(-1)!.text.startsWith(`${saved - 1} `)).toBe(true);
    } finally {
      store.dispose();
    }
  });

  it('locked database: waits the busy timeout, then a sentence; works again once the lock is gone', () => {
    const id = storeWithOneLine(data.dir);
    const store = ConversationStore.open(data.dir, { writer: true, busyTimeoutMs: 100 });
    const other = connectWasm(historyFilePath(data.dir));
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(() => store.saveLine(id, { key: 'x', role: 'user', text: 'blocked', status: 'final' })).toThrow(
        /because another program is using the history file .*; close it \(or the other Parley\) and try again\./,
      );
      other.exec('COMMIT');
      store.saveLine(id, { key: 'x', role: 'user', text: 'unblocked', status: 'final' });
      expect(store.get(id).lines.map((line) => line.text)).toEqual(['kept safe', 'unblocked']);
    } finally {
      other.close();
      store.dispose();
    }
  });

  it('an export path that cannot be written: a sentence naming the path and why', async () => {
    const id = storeWithOneLine(data.dir);
    const store = ConversationStore.open(data.dir);
    const markdown = conversationToMarkdown(store.get(id));
    store.dispose();
    const missingFolder = join(data.dir, 'no', 'such', 'folder', 'chat.md');
    await expect(writeExport(missingFolder, markdown)).rejects.toThrow(`Parley could not export to ${missingFolder} because its folder does not exist; choose another place.`);
    const folder = join(data.dir, 'a-folder');
    mkdirSync(folder);
    await expect(writeExport(folder, markdown)).rejects.toThrow(`Parley could not export to ${folder} because it is a folder; choose another place.`);
  });
});
