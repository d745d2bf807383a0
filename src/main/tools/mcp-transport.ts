import { stat } from 'node:fs/promises';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from './mcp-server-config';
import type { StderrTail } from './stderr-tail';

export interface OpenedTransport {
  transport: Transport;
  /** The child's process id once started (stdio only). */
  pid(): number | null;
}

/**
 * The SDK transport for one server. For stdio the child gets Parley's whole environment plus the
 * configured `env` (the SDK alone would pass only HOME, PATH, SHELL, TERM, USER and LOGNAME, which
 * breaks servers that read e.g. XDG_* or proxy settings, unlike other MCP hosts), and its stderr
 * goes to `stderr` so failures can quote it.
 */
export async function openTransport(config: McpServerConfig, stderr: StderrTail): Promise<OpenedTransport> {
  if (config.transport === 'http') {
    const transport = new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    return { transport, pid: () => null };
  }
  if (config.cwd !== undefined) await assertFolder(config);
  const inherited = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    env: { ...inherited, ...config.env },
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  stderr.attach(transport.stderr);
  return { transport, pid: () => transport.pid };
}

/** Node reports a missing cwd as ENOENT, the same as a missing command: tell them apart first. */
async function assertFolder(config: McpServerConfig & { transport: 'stdio' }): Promise<void> {
  const found = await stat(config.cwd!).catch(() => null);
  if (!found?.isDirectory()) throw new Error(`its working folder "${config.cwd}" does not exist; fix "cwd" in its settings`);
}
