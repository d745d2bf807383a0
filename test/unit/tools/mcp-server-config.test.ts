import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpConfigError, parseMcpConfig, readMcpConfigFile } from '../../../src/main/tools/mcp-server-config';

const message = (text: string): string => {
  try {
    parseMcpConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(McpConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('parseMcpConfig', () => {
  it('reads stdio and HTTP servers in the format other MCP hosts use, ignoring their extra fields', () => {
    const configs = parseMcpConfig(
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', 'some-server'], env: { ROOT: '/tmp' }, disabled: false, autoApprove: [] },
          tracker: { url: 'https://tracker.example/mcp', headers: { Authorization: 'Bearer abcdef' } },
        },
      }),
    );
    expect(configs).toEqual([
      { name: 'files', transport: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: { ROOT: '/tmp' } },
      { name: 'tracker', transport: 'http', url: 'https://tracker.example/mcp', headers: { Authorization: 'Bearer abcdef' } },
    ]);
  });

  it('says where invalid JSON breaks', () => {
    expect(message('{\n  "mcpServers": {\n    "a": {"command": "x",}\n  }\n}')).toMatch(/^The MCP configuration is not valid JSON: .* at line 3, column \d+\. Fix it/);
  });

  it('names the server and the field that is wrong, never the secret value', () => {
    expect(message('{"servers": {}}')).toContain('"mcpServers"');
    expect(message('{"mcpServers": {"a": {"comand": "x"}}}')).toBe('MCP server "a" needs either "command" (a program to run) or "url" (an HTTP endpoint).');
    expect(message('{"mcpServers": {"a": {"url": "ftp://x"}}}')).toBe('MCP server "a": "url" must be an http:// or https:// address.');
    const withToken = message('{"mcpServers": {"a": {"command": "x", "env": {"TOKEN": 123456789}}}}');
    expect(withToken).toBe('MCP server "a": "env.TOKEN" must map names to text values.');
    expect(withToken).not.toContain('123456789');
    expect(message('{"mcpServers": {"parley": {"command": "x"}}}')).toContain('reserved');
    expect(message('{"mcpServers": {"a": "x", "b": {"command": ""}}}')).toBe(
      'MCP server "a" must be an object with either "command" (a program to run) or "url" (an HTTP endpoint). MCP server "b": "command" must be a non-empty text.',
    );
  });

  it('reads a configuration file, naming it when it is missing or wrong', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'parley-mcp-config-'));
    const good = join(folder, 'good.json');
    writeFileSync(good, '{"mcpServers": {"a": {"command": "x"}}}');
    expect(await readMcpConfigFile(good)).toEqual([{ name: 'a', transport: 'stdio', command: 'x', args: [], env: {} }]);
    await expect(readMcpConfigFile(join(folder, 'missing.json'))).rejects.toThrow(`The MCP configuration file "${join(folder, 'missing.json')}" does not exist.`);
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, '{"mcpServers": ');
    await expect(readMcpConfigFile(bad)).rejects.toThrow(new RegExp(`^In "${bad}": The MCP configuration is not valid JSON`));
  });
});
