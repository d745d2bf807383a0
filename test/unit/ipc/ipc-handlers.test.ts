import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssistantState, EngineEvent } from '../../../src/shared/engine-events';
import type { ConversationLine } from '../../../src/shared/conversation';
import { IpcRoutes, type AppEvent, type DeviceList } from '../../../src/shared/ipc';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { createIpcHandlers, type IpcHandlers } from '../../../src/main/ipc/ipc-handlers';
import { isAllowedExternalUrl } from '../../../src/main/ipc/external-link-policy';
import type { EngineApi } from '../../../src/main/session/engine-api';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { SettingsFile } from '../../../src/main/settings/settings-file';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { aesTestCipher } from '../settings/aes-test-cipher';

/**
 * The handlers only talk to the engine through EngineApi. The real engine needs a model
 * server, sound devices and a keyboard hook, so here a recording stand-in plays the engine;
 * the settings file and key store are the real ones, on a temporary directory.
 */
class RecordingEngine implements EngineApi {
  state: AssistantState = 'idle';
  lines: ConversationLine[] = [{ itemId: 'u1', role: 'user', text: 'hello', final: true, interrupted: false }];
  applied: Array<{ settings: Settings; apiKey: string | null }> = [];
  /** The message of each applySettings' keyProblem, or null. */
  keyProblems: Array<string | null> = [];
  calls: string[] = [];
  failNextMicTest: unknown = null;
  async start(): Promise<void> {}
  async applySettings(settings: Settings, apiKey: string | null, keyProblem?: UserFacingError | null): Promise<void> {
    this.applied.push({ settings, apiKey });
    this.keyProblems.push(keyProblem?.message ?? null);
  }
  onEvent(_listener: (event: EngineEvent) => void): () => void {
    return () => undefined;
  }
  clearConversation(): void {
    this.calls.push('clearConversation');
    this.lines = [];
  }
  continueConversation(lines: readonly ConversationLine[]): void {
    this.calls.push('continueConversation');
    this.lines = [...lines];
  }
  retryLastTurn(): void {
    this.calls.push('retryLastTurn');
  }
  cancelTurn(): void {
    this.calls.push('cancelTurn');
  }
  async listDevices(): Promise<DeviceList> {
    return { inputs: [{ name: 'pulse', isDefault: true }], outputs: [{ name: 'default', isDefault: true }] };
  }
  async startMicTest(deviceName: string | null): Promise<void> {
    if (this.failNextMicTest) throw this.failNextMicTest;
    this.calls.push(`startMicTest:${deviceName}`);
  }
  async stopMicTest(): Promise<void> {
    this.calls.push('stopMicTest');
  }
  releaseHotkey(reason: string): void {
    this.calls.push(`releaseHotkey:${reason}`);
  }
  async dispose(): Promise<void> {}
}

const KEY = 'sk-live-abcdefghijklmnop';
let dir: string;
let engine: RecordingEngine;
let settingsFile: SettingsFile;
let events: AppEvent[];
let opened: string[];
let handlers: IpcHandlers;

async function setUp(keyringAvailable = true): Promise<void> {
  engine = new RecordingEngine();
  settingsFile = new SettingsFile(join(dir, 'settings.json'));
  await settingsFile.load();
  events = [];
  opened = [];
  handlers = createIpcHandlers({
    engine,
    settingsStore: settingsFile,
    apiKeyStore: new EncryptedApiKeyStore({ path: join(dir, 'api-key.bin'), cipher: aesTestCipher(keyringAvailable) }),
    openExternal: async (url) => {
      opened.push(url);
    },
    pushEvent: (event) => events.push(event),
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-ipc-'));
  await setUp();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createIpcHandlers', () => {
  it('has exactly one handler per route', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(IpcRoutes).sort());
  });

  it('answers app.snapshot with what the window needs to draw', async () => {
    expect(await handlers['app.snapshot'](undefined)).toEqual({
      ok: true,
      data: { settings: defaultSettings(), hasApiKey: false, lines: engine.lines, state: 'idle', notice: null, approvals: [] },
    });
  });

  it('rejects input on routes that take none, without pointing at Settings', async () => {
    const result = await handlers['app.snapshot']({ sneaky: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).not.toHaveProperty('action');
    if (!result.ok) expect(result.error).toMatchObject({ code: 'refused', message: expect.stringMatching(/^Parley could not use that request: .+\.$/) });
  });

  it('saves settings, persists them, applies them live and tells the window', async () => {
    const next = { ...defaultSettings(), hotkey: 'F8' };
    const result = await handlers['settings.save'](next);
    expect(result).toEqual({ ok: true, data: next });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual(next);
    expect(engine.applied).toEqual([{ settings: next, apiKey: null }]);
    expect(events).toEqual([{ type: 'settings', settings: next, hasApiKey: false }]);
  });

  it('fills in defaults for a partial settings object', async () => {
    const result = await handlers['settings.save']({ hotkey: 'F7' });
    expect(result).toEqual({ ok: true, data: { ...defaultSettings(), hotkey: 'F7' } });
  });

  it('rejects invalid settings with a sentence naming the field, and changes nothing', async () => {
    const result = await handlers['settings.save']({ ...defaultSettings(), realtime: { url: 'http://example.com', model: 'x', voice: 'y' } });
    expect(result).toEqual({ ok: false, error: { code: 'bad-settings', action: 'open-settings', message: 'Check realtime.url: Enter a full URL starting with ws:// or wss://.' } });
    const tooLong = await handlers['settings.save']({ ...defaultSettings(), capture: { ...defaultSettings().capture, preRollMs: 10_000 } });
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.error.message).toMatch(/^Check capture\.preRollMs: /);
    expect(engine.applied).toEqual([]);
    expect(events).toEqual([]);
    expect(settingsFile.current).toEqual(defaultSettings());
  });

  it('stores the API key, hands it to the engine, and never returns it', async () => {
    const result = await handlers['apiKey.set']({ key: `  ${KEY}  ` });
    expect(result).toEqual({ ok: true, data: { hasApiKey: true } });
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain(KEY);
    expect(engine.applied.at(-1)?.apiKey).toBe(KEY);
    const snapshot = await handlers['app.snapshot'](undefined);
    expect(snapshot.ok && snapshot.data.hasApiKey).toBe(true);
    expect(JSON.stringify(snapshot)).not.toContain(KEY);
    expect(events).toEqual([{ type: 'settings', settings: defaultSettings(), hasApiKey: true }]);
  });

  it('rejects an empty key with a sentence', async () => {
    expect(await handlers['apiKey.set']({ key: '   ' })).toEqual({ ok: false, error: { code: 'bad-settings', action: 'open-settings', message: 'Check key: Paste your API key.' } });
    expect(await handlers['apiKey.set']('sk-not-an-object')).toMatchObject({ ok: false });
  });

  it('reports a missing keyring as the store explains it', async () => {
    await setUp(false);
    const result = await handlers['apiKey.set']({ key: KEY });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('no keyring');
    expect(engine.applied).toEqual([]);
  });

  it('clears the key and tells the engine', async () => {
    await handlers['apiKey.set']({ key: KEY });
    expect(await handlers['apiKey.clear'](undefined)).toEqual({ ok: true, data: { hasApiKey: false } });
    expect(engine.applied.at(-1)?.apiKey).toBeNull();
  });

  it('says why a saved key cannot be used, to the engine and the window, until a new key is set', async () => {
    await handlers['apiKey.set']({ key: KEY });
    await setUp(); // a new keyring: the saved key no longer unlocks
    const snapshot = await handlers['app.snapshot'](undefined);
    expect(snapshot.ok && snapshot.data.hasApiKey).toBe(false);
    expect(snapshot.ok && snapshot.data.keyProblem).toMatchObject({ code: 'no-api-key', action: 'open-settings', message: expect.stringContaining('could not unlock your saved API key') });
    await handlers['settings.save'](defaultSettings());
    expect(engine.keyProblems).toEqual([expect.stringContaining('could not unlock your saved API key')]);
    expect(events.at(-1)).toMatchObject({ type: 'settings', hasApiKey: false, keyProblem: { message: expect.stringContaining('could not unlock') } });

    await handlers['apiKey.set']({ key: KEY });
    expect(engine.keyProblems.at(-1)).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'settings', settings: defaultSettings(), hasApiKey: true });
    const after = await handlers['app.snapshot'](undefined);
    expect(after.ok && after.data.keyProblem).toBeUndefined();
  });

  it('lists devices and drives the mic test', async () => {
    expect(await handlers['devices.list'](undefined)).toEqual({ ok: true, data: await engine.listDevices() });
    expect(await handlers['micTest.start']({ deviceName: 'pulse' })).toEqual({ ok: true, data: null });
    expect(await handlers['micTest.start']({ deviceName: null })).toEqual({ ok: true, data: null });
    expect(await handlers['micTest.stop'](undefined)).toEqual({ ok: true, data: null });
    expect(engine.calls).toEqual(['startMicTest:pulse', 'startMicTest:null', 'stopMicTest']);
    expect((await handlers['micTest.start']({ deviceName: '' })).ok).toBe(false);
  });

  it('turns an engine failure into its sentence instead of throwing', async () => {
    engine.failNextMicTest = new UserFacingError('mic-unavailable', 'Parley cannot open the microphone "usb". Pick another input in Settings.');
    expect(await handlers['micTest.start']({ deviceName: 'usb' })).toEqual({
      ok: false,
      // The whole error reaches the window: its code and action as well as the sentence.
      error: { code: 'mic-unavailable', action: 'open-settings', message: 'Parley cannot open the microphone "usb". Pick another input in Settings.' },
    });
    engine.failNextMicTest = new Error('boom');
    const result = await handlers['micTest.start']({ deviceName: 'usb' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/^Something went wrong inside Parley \(boom\)\./) });
  });

  it('clears the conversation and tells the window, and retries the last turn', async () => {
    expect(await handlers['conversation.clear'](undefined)).toEqual({ ok: true, data: null });
    expect(events).toEqual([{ type: 'conversation-cleared' }]);
    expect(await handlers['turn.retry'](undefined)).toEqual({ ok: true, data: null });
    expect(engine.calls).toEqual(['clearConversation', 'retryLastTurn']);
  });

  it('opens only allow-listed links', async () => {
    expect(await handlers['link.open']({ url: 'https://platform.openai.com/api-keys' })).toEqual({ ok: true, data: null });
    const refused = await handlers['link.open']({ url: 'https://evil.example/phish' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'refused', message: 'Parley only opens links to its own help pages, and this one is not among them.', messageKey: 'errors.linkRefused' },
    });
    expect((await handlers['link.open']({ url: 'not a url' })).ok).toBe(false);
    expect(opened).toEqual(['https://platform.openai.com/api-keys']);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://platform.openai.com/api-keys',
    'https://docs.vllm.ai/en/latest/',
    'https://github.com/someone/parley/issues/3',
    'https://github.com/someone/Parley',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://platform.openai.com/api-keys',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://platform.openai.com/share',
    'https://platform.openai.com.evil.example/',
    'https://user:pass@platform.openai.com/',
    'https://platform.openai.com:8443/',
    'https://github.com/someone/other-project',
    'https://github.com/someone/parley-fake/releases',
    'https://gist.github.com/someone/parley',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('cancels the turn being recorded, and hands out diagnostics and the logs folder only when the app keeps them', async () => {
    expect(await handlers['turn.cancel'](undefined)).toEqual({ ok: true, data: null });
    expect(engine.calls).toContain('cancelTurn');
    expect(await handlers['diagnostics.get'](undefined)).toMatchObject({ ok: false, error: { code: 'refused' } });
    const withLogs = createIpcHandlers({
      engine,
      settingsStore: settingsFile,
      apiKeyStore: new EncryptedApiKeyStore({ path: join(dir, 'api-key.bin'), cipher: aesTestCipher(true) }),
      openExternal: async () => undefined,
      pushEvent: () => undefined,
      diagnostics: async () => 'Parley 0.1.0',
      openLogsFolder: async () => undefined,
    });
    expect(await withLogs['diagnostics.get'](undefined)).toEqual({ ok: true, data: 'Parley 0.1.0' });
    expect(await withLogs['logs.openFolder'](undefined)).toEqual({ ok: true, data: null });
  });
});

