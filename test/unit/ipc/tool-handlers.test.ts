import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../../src/shared/ipc';
import { defaultSettings } from '../../../src/shared/settings';
import { MASKED_SECRET } from '../../../src/shared/tool-settings';
import { createIpcHandlers, type IpcHandlers } from '../../../src/main/ipc/ipc-handlers';
import { createWindowTools, type WindowTools } from '../../../src/main/ipc/window-tools';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { SettingsFile } from '../../../src/main/settings/settings-file';
import { aesTestCipher } from '../settings/aes-test-cipher';
import { idleEngine } from '../../support/idle-engine';

/**
 * The tools.* routes and the masking of secrets, with the real settings file and the real
 * tool layer (createWindowTools). The engine plays no part in them, so a do-nothing stand-in
 * plays it; the one configured server's command does not exist, so it fails at once (no process).
 */

const TOKEN = 'tok-secret-77aa';
let dir: string;
let settingsFile: SettingsFile;
let tools: WindowTools;
let events: AppEvent[];
let handlers: IpcHandlers;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-tool-ipc-'));
  settingsFile = new SettingsFile(join(dir, 'settings.json'));
  await writeFile(settingsFile.path, JSON.stringify({ tools: { mcpServers: { files: { command: 'parley-no-such-command-x', env: { FILES_TOKEN: TOKEN } } } } }));
  await settingsFile.load();
  tools = createWindowTools(settingsFile, () => undefined);
  events = [];
  handlers = createIpcHandlers({
    engine: idleEngine,
    settingsStore: settingsFile,
    apiKeyStore: new EncryptedApiKeyStore({ path: join(dir, 'api-key.bin'), cipher: aesTestCipher(true) }),
    openExternal: async () => undefined,
    pushEvent: (event) => events.push(event),
    tools,
  });
});
afterEach(async () => {
  await tools.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('tools over IPC', () => {
  it('sends the settings to the window with secrets masked', async () => {
    const snapshot = await handlers['app.snapshot'](undefined);
    expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
    expect(snapshot.ok && snapshot.data.settings.tools.mcpServers.files).toEqual({ command: 'parley-no-such-command-x', env: { FILES_TOKEN: MASKED_SECRET } });
  });

  it('keeps the stored tools group when the general settings are saved', async () => {
    const saved = await handlers['settings.save']({ ...defaultSettings(), hotkey: 'F8' });
    expect(saved.ok).toBe(true);
    expect(JSON.stringify([saved, events])).not.toContain(TOKEN);
    expect(JSON.parse(await readFile(settingsFile.path, 'utf8')).tools.mcpServers.files.env).toEqual({ FILES_TOKEN: TOKEN });
  });

  it('saves pasted servers, restoring hidden values, and reports bad ones in words', async () => {
    const bad = await handlers['tools.saveServers']({ json: '{"mcpServers": {"web": {"url": "ftp://x"}}}' });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad-settings', message: 'MCP server "web": "url" must be an http:// or https:// address.' }) });
    const json = JSON.stringify({ mcpServers: { files: { command: 'parley-no-such-command-y', env: { FILES_TOKEN: MASKED_SECRET } }, web: { url: 'http://127.0.0.1:9/mcp' } } });
    const good = await handlers['tools.saveServers']({ json });
    expect(good.ok && good.data.map((server) => server.name)).toEqual(['parley', 'files', 'web']);
    expect(settingsFile.current.tools.mcpServers.files).toEqual({ command: 'parley-no-such-command-y', env: { FILES_TOKEN: TOKEN } });
  });

  it('switches a built-in tool off and on, and removes a server', async () => {
    const builtIn = tools.catalog.servers()[0]!.tools[0]!;
    const off = await handlers['tools.setEnabled']({ server: 'parley', tool: builtIn.originalName, enabled: false });
    expect(off.ok && off.data[0]!.tools[0]!.enabled).toBe(false);
    expect(tools.catalog.realtimeTools().map((tool) => tool.name)).not.toContain(builtIn.declaredName);
    expect(settingsFile.current.tools.disabledTools).toEqual([builtIn.toolKey]);
    await handlers['tools.setEnabled']({ server: 'parley', tool: builtIn.originalName, enabled: true });
    expect(settingsFile.current.tools.disabledTools).toEqual([]);
    const removed = await handlers['tools.removeServer']({ name: 'files' });
    expect(removed.ok && removed.data.map((server) => server.name)).toEqual(['parley']);
    expect(settingsFile.current.tools.mcpServers).toEqual({});
  });

  it('sets the call timeout within its bounds', async () => {
    expect(await handlers['tools.setCallTimeout']({ ms: 45_000 })).toEqual({ ok: true, data: { callTimeoutMs: 45_000 } });
    expect(settingsFile.current.tools.callTimeoutMs).toBe(45_000);
    expect((await handlers['tools.setCallTimeout']({ ms: 10 })).ok).toBe(false);
    expect(settingsFile.current.tools.callTimeoutMs).toBe(45_000);
  });

  it('refuses an answer for a call that is not waiting', async () => {
    const answer = await handlers['tools.answerApproval']({ callId: 'nope', answer: 'allow-once' });
    expect(answer.ok).toBe(false);
  });
});
