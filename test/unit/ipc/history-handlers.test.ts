import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationLine } from '../../../src/shared/conversation';
import type { EngineEvent } from '../../../src/shared/engine-events';
import type { AppEvent } from '../../../src/shared/ipc';
import { defaultSettings } from '../../../src/shared/settings';
import { setUpHistory, type HistorySetup } from '../../../src/main/history/history-setup';
import { suggestedExportName } from '../../../src/main/ipc/history-handlers';
import { createIpcHandlers, type IpcHandlerDeps, type IpcHandlers } from '../../../src/main/ipc/ipc-handlers';
import type { EngineApi } from '../../../src/main/session/engine-api';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { SettingsFile } from '../../../src/main/settings/settings-file';
import { aesTestCipher } from '../settings/aes-test-cipher';

/**
 * The history routes against a real SQLite store and recorder in a temp directory. The engine
 * is a stand-in (the real one needs devices and a model server) that lets the test emit the
 * events the recorder listens to.
 */
let dir: string;
let history: HistorySetup;
let handlers: IpcHandlers;
let settingsFile: SettingsFile;
let events: AppEvent[];
const listeners = new Set<(event: EngineEvent) => void>();
const emit = (event: EngineEvent) => listeners.forEach((listener) => listener(event));

const engine = {
  state: 'idle',
  lines: [],
  onEvent(listener: (event: EngineEvent) => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  async applySettings() {},
  clearConversation() {},
  continueConversation(lines: readonly ConversationLine[]) {
    continuedWith = lines;
  },
} as unknown as EngineApi;
let continuedWith: readonly ConversationLine[] | null = null;

function handlerDeps(): IpcHandlerDeps {
  return {
    engine,
    settingsStore: settingsFile,
    apiKeyStore: new EncryptedApiKeyStore({ path: join(dir, 'key.bin'), cipher: aesTestCipher() }),
    openExternal: async () => undefined,
    pushEvent: (event) => events.push(event),
    history,
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-history-ipc-'));
  settingsFile = new SettingsFile(join(dir, 'settings.json'));
  await settingsFile.load();
  history = setUpHistory({ dataDir: dir, keepHistory: true, engine, onNotice: () => undefined })!;
  events = [];
  handlers = createIpcHandlers(handlerDeps());
});

afterEach(async () => {
  history.dispose();
  listeners.clear();
  await rm(dir, { recursive: true, force: true });
});

describe('history routes', () => {
  it('say in a sentence when there is no history, and reject a bad id before the store sees it', async () => {
    const withoutHistory = createIpcHandlers({ engine, settingsStore: settingsFile, apiKeyStore: {} as never, openExternal: async () => undefined, pushEvent: () => undefined, history: null });
    const listed = await withoutHistory['history.list'](undefined);
    expect(listed.ok).toBe(false);
    if (!listed.ok) expect(listed.error.message).toMatch(/^Parley could not open its history file when it started/);
    const bad = await handlers['history.get']({ id: -3 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/^Check id:/);
  });

  it('stop recording when Keep history is saved off, and refuse to continue then', async () => {
    emit({ type: 'transcript', role: 'user', itemId: 'a', text: 'kept', final: true });
    const saved = await handlers['settings.save']({ ...defaultSettings(), keepHistory: false });
    expect(saved.ok).toBe(true);
    emit({ type: 'transcript', role: 'user', itemId: 'b', text: 'not kept', final: true });
    const [only] = history.store.list();
    expect(history.store.get(only!.id).lines.map((line) => line.text)).toEqual(['kept']);
    const listed = await handlers['history.list'](undefined);
    expect(listed.ok && listed.data.keepHistory).toBe(false);
    const continued = await handlers['history.continue']({ id: only!.id });
    expect(continued.ok).toBe(false);
    if (!continued.ok) expect(continued.error.message).toMatch(/Keep history is off/);
  });

  it('continue a conversation: the window hears it, and new lines go on at its end', async () => {
    emit({ type: 'transcript', role: 'user', itemId: 'a', text: 'first', final: true });
    const id = history.recorder.conversationId!;
    await handlers['conversation.clear'](undefined);
    emit({ type: 'transcript', role: 'user', itemId: 'b', text: 'another conversation', final: true });
    const continued = await handlers['history.continue']({ id });
    expect(continued.ok).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'conversation-continued', conversation: { id } });
    // The engine goes on from the stored words, so the model hears them as the conversation so far.
    expect(continuedWith).toEqual([{ itemId: `history:${id}:a`, role: 'user', text: 'first', final: true, interrupted: false }]);
    emit({ type: 'transcript', role: 'user', itemId: 'c', text: 'second', final: true });
    expect(history.store.get(id).lines.map((line) => line.text)).toEqual(['first', 'second']);
  });

  it('refuse to export without a save dialog, in a sentence', async () => {
    emit({ type: 'transcript', role: 'user', itemId: 'a', text: 'hello', final: true });
    const result = await handlers['history.export']({ id: history.recorder.conversationId!, format: 'md' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/no save dialog/);
  });

  it('export Markdown in the language the window asks for, English when it names none', async () => {
    emit({ type: 'transcript', role: 'user', itemId: 'a', text: '明天会下雨吗', final: true });
    const id = history.recorder.conversationId!;
    let saveAs = join(dir, 'zh.md');
    const exporting = createIpcHandlers({ ...handlerDeps(), chooseExportPath: async () => saveAs });
    expect(await exporting['history.export']({ id, format: 'md', language: 'zh-CN' })).toEqual({ ok: true, data: { path: saveAs } });
    expect(await readFile(saveAs, 'utf8')).toContain('**你：** 明天会下雨吗');
    saveAs = join(dir, 'en.md');
    await exporting['history.export']({ id, format: 'md' });
    expect(await readFile(saveAs, 'utf8')).toContain('**You:** 明天会下雨吗');
    const refused = await exporting['history.export']({ id, format: 'md', language: 'fr' as 'en' });
    expect(refused.ok).toBe(false);
  });
});

describe('suggestedExportName', () => {
  it('names the file after the date and the title, in any script', () => {
    const at = Date.parse('2026-11-27T10:00:00Z');
    expect(suggestedExportName('What is the weather like?', at, 'md')).toBe('parley-2026-11-27-what-is-the-weather-like.md');
    expect(suggestedExportName('今天天气很好吗？', at, 'json')).toBe('parley-2026-11-27-今天天气很好吗.json');
    expect(suggestedExportName('', at, 'md')).toBe('parley-2026-11-27.md');
  });
});
