import { describe, expect, it } from 'vitest';
import { McpConfigError } from '../../../src/shared/mcp-config';
import { SettingsSchema } from '../../../src/shared/settings';
import { MASKED_SECRET, maskToolSecrets, restoreToolSecrets } from '../../../src/shared/tool-settings';

const stored = {
  files: { command: 'files-server', args: ['--root', '/home'], env: { FILES_TOKEN: 'tok-files-1' } },
  tracker: { url: 'https://tracker.example/mcp', headers: { Authorization: 'Bearer tok-tracker-2' } },
};

describe('the tools settings group', () => {
  it('defaults to no servers, nothing switched off and a 30 s call timeout', () => {
    expect(SettingsSchema.parse({}).tools).toEqual({ mcpServers: {}, disabledServers: [], disabledTools: [], callTimeoutMs: 30_000, alwaysAllowed: [] });
  });

  it('checks servers with the same sentences as --mcp-config', () => {
    const result = SettingsSchema.safeParse({ tools: { mcpServers: { files: { command: '' }, parley: { command: 'x' } } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'MCP server "files": "command" must be a non-empty text. The server name "parley" is reserved for Parley\'s built-in tools; rename that server.',
    ]);
  });

  it('bounds the call timeout', () => {
    expect(SettingsSchema.safeParse({ tools: { callTimeoutMs: 10 } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ tools: { callTimeoutMs: 3_600_000 } }).success).toBe(false);
  });
});

describe('secrets towards the window', () => {
  it('masks every env and header value and keeps the rest', () => {
    const settings = SettingsSchema.parse({ tools: { mcpServers: stored } });
    const masked = maskToolSecrets(settings);
    expect(masked.tools.mcpServers).toEqual({
      files: { command: 'files-server', args: ['--root', '/home'], env: { FILES_TOKEN: MASKED_SECRET } },
      tracker: { url: 'https://tracker.example/mcp', headers: { Authorization: MASKED_SECRET } },
    });
    expect(JSON.stringify(masked)).not.toMatch(/tok-/);
    expect(settings.tools.mcpServers.files).toEqual(stored.files);
  });

  it('puts the stored value back where the window sent the mask, and takes new values as typed', () => {
    const incoming = {
      files: { command: 'files-server', env: { FILES_TOKEN: MASKED_SECRET, EXTRA: 'new-value' } },
      tracker: { url: 'https://tracker.example/v2', headers: { Authorization: 'Bearer replaced' } },
    };
    expect(restoreToolSecrets(incoming, stored)).toEqual({
      files: { command: 'files-server', env: { FILES_TOKEN: 'tok-files-1', EXTRA: 'new-value' } },
      tracker: { url: 'https://tracker.example/v2', headers: { Authorization: 'Bearer replaced' } },
    });
  });

  it('refuses a mask with no stored value behind it, naming the server and the key', () => {
    expect(() => restoreToolSecrets({ fresh: { command: 'x', env: { KEY: MASKED_SECRET } } }, stored)).toThrow(McpConfigError);
    expect(() => restoreToolSecrets({ fresh: { command: 'x', env: { KEY: MASKED_SECRET } } }, stored)).toThrow(/"fresh": "env.KEY" is hidden/);
  });
});
