import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engine-events';
import type { IpcFailure, Result } from '../../../src/shared/ipc';
import { defaultSettings } from '../../../src/shared/settings';
import { transcribeClip } from '../../../src/main/backends/chat-audio/audio-endpoints';
import { streamChatCompletion } from '../../../src/main/backends/chat-audio/chat-completion-stream';
import { ChatServer } from '../../../src/main/backends/chat-audio/chat-server';
import { setUpHistory, type HistorySetup } from '../../../src/main/history/history-setup';
import { createIpcHandlers, type IpcHandlerDeps } from '../../../src/main/ipc/ipc-handlers';
import { createWindowTools, type WindowTools } from '../../../src/main/ipc/window-tools';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { SettingsFile } from '../../../src/main/settings/settings-file';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { aesTestCipher } from '../settings/aes-test-cipher';
import { expectKeyedTranslation } from './keyed-error-check';
import { idleEngine } from '../../support/idle-engine';

/**
 * The keyed errors met over HTTP and IPC, each made the way the app makes it: a real ChatServer
 * over fetch against a loopback HTTP server that answers what a broken server would, and the
 * real IPC routes over a real settings file, history and tool layer in a temp directory.
 */

/** Path → what the loopback server answers there. */
const ANSWERS: Record<string, { type: string; body: string }> = {
  '/garbled/v1/models': { type: 'text/html', body: '<html>It works!</html>' },
  '/empty/v1/models': { type: 'application/json', body: '{"object":"list","data":[]}' },
  '/two/v1/models': { type: 'application/json', body: '{"object":"list","data":[{"id":"ultravox"},{"id":"qwen2-audio"}]}' },
  '/two/v1/audio/transcriptions': { type: 'application/json', body: '{"words":[]}' },
  '/two/v1/chat/completions': { type: 'text/event-stream', body: 'data: {"error":{"message":"The engine ran out of KV cache"}}\n\n' },
};

let http: Server;
let base: string;
beforeAll(async () => {
  http = createServer((req, res) => {
    req.resume();
    const answer = ANSWERS[req.url ?? ''];
    res.writeHead(answer ? 200 : 404, { 'content-type': answer?.type ?? 'text/plain' });
    res.end(answer?.body ?? 'Not Found');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

const server = (name: string) => new ChatServer({ baseUrl: `${base}/${name}/v1`, apiKey: null, fetch, requestTimeoutMs: 5_000 });

async function rejection(work: Promise<unknown>): Promise<IpcFailure> {
  const error = await work.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UserFacingError);
  return (error as UserFacingError).toEvent();
}

describe('keyed errors from a chat-audio server', () => {
  const signal = new AbortController().signal;

  it.each([
    ['notModelList', () => server('garbled').listModels()],
    ['noModels', () => server('empty').chooseModel('')],
    ['modelNotListed', () => server('two').chooseModel('whisper')],
    ['noTranscript', () => transcribeClip(server('two'), 'whisper', Buffer.alloc(44), signal)],
    ['serverFailed', () => streamChatCompletion(server('two'), { model: 'ultravox', messages: [] }, signal, { onDelta: () => undefined })],
  ])('errors.chatAudio.%s', async (key, work) => {
    expectKeyedTranslation(await rejection(work()), `errors.chatAudio.${key}`);
  });
});

describe('keyed errors from the IPC routes', () => {
  let dir: string;
  let deps: IpcHandlerDeps;
  let tools: WindowTools;
  let history: HistorySetup;
  const engineListeners = new Set<(event: EngineEvent) => void>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-i18n-ipc-'));
    const settingsStore = new SettingsFile(join(dir, 'settings.json'));
    await settingsStore.load();
    tools = createWindowTools(settingsStore, () => undefined);
    const engine = { ...idleEngine, onEvent: (listener: (event: EngineEvent) => void) => (engineListeners.add(listener), () => engineListeners.delete(listener)) };
    history = setUpHistory({ dataDir: dir, keepHistory: true, engine, onNotice: () => undefined })!;
    deps = {
      engine,
      settingsStore,
      apiKeyStore: new EncryptedApiKeyStore({ path: join(dir, 'api-key.bin'), cipher: aesTestCipher() }),
      openExternal: async () => undefined,
      pushEvent: () => undefined,
    };
  });
  afterAll(async () => {
    history.dispose();
    await tools.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  function failureOf(result: Result<unknown>): IpcFailure {
    expect(result.ok).toBe(false);
    return (result as { ok: false; error: IpcFailure }).error;
  }

  it('covers a build without logs, diagnostics, history or tools', async () => {
    const bare = createIpcHandlers({ ...deps, history: null, tools: null });
    expectKeyedTranslation(failureOf(await bare['logs.openFolder'](undefined)), 'errors.noLogFiles');
    expectKeyedTranslation(failureOf(await bare['diagnostics.get'](undefined)), 'errors.noDiagnostics');
    expectKeyedTranslation(failureOf(await bare['history.list'](undefined)), 'errors.history.unavailable');
    expectKeyedTranslation(failureOf(await bare['tools.removeServer']({ name: 'files' })), 'errors.tools.unavailable');
  });

  it('covers the tool routes', async () => {
    const handlers = createIpcHandlers({ ...deps, tools });
    expectKeyedTranslation(failureOf(await handlers['tools.removeServer']({ name: 'files' })), 'errors.tools.noSuchServer');
    expectKeyedTranslation(failureOf(await handlers['tools.answerApproval']({ callId: 'call-1', answer: 'deny' })), 'errors.tools.approvalGone');
  });

  it('covers the history routes', async () => {
    const handlers = createIpcHandlers({ ...deps, history });
    for (const listener of engineListeners) listener({ type: 'transcript', role: 'user', itemId: 'a', text: 'hello', final: true });
    const id = history.recorder.conversationId!;
    expectKeyedTranslation(failureOf(await handlers['history.export']({ id, format: 'md' })), 'errors.history.noSaveDialog');
    expect((await handlers['settings.save']({ ...defaultSettings(), keepHistory: false })).ok).toBe(true);
    expectKeyedTranslation(failureOf(await handlers['history.continue']({ id })), 'errors.history.keepHistoryOff');
  });
});
