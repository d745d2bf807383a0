import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServerConfig } from './mcp-server-config';

/**
 * Why a server failed to start, as one sentence that names it and says what to do. `stderr` is
 * the tail of what it printed; the caller redacts secrets from the result.
 */
export function describeStartFailure(config: McpServerConfig, error: unknown, stderr: string, startTimeoutMs: number): string {
  const server = `The tool server "${config.name}"`;
  const said = stderr ? ` Its last output: "${stderr}".` : '';
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (config.transport === 'stdio') {
    if (code === 'ENOENT') {
      return `${server} could not start: the command "${config.command}" was not found. Install it, or give its full path as "command" in the Tools settings.`;
    }
    if (code === 'EACCES') return `${server} could not start: the command "${config.command}" is not allowed to run (permission denied). Make it executable.`;
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      return `${server} exited while starting.${said || ' It printed nothing.'} Check its command, arguments and environment.`;
    }
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    const what = config.transport === 'stdio' ? `Check that "${config.command}" starts an MCP server that talks over stdio.` : `Check that ${config.url} is an MCP endpoint.`;
    return `${server} did not answer the MCP handshake within ${Math.round(startTimeoutMs / 1000)} seconds.${said} ${what}`;
  }
  if (config.transport === 'http') {
    if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) {
      return `${server} refused Parley (HTTP ${error.code}). Check the token in its "headers".`;
    }
    if (error instanceof StreamableHTTPError) return `${server} answered with HTTP ${error.code ?? 'an error'} at ${config.url}. Check its "url".`;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause) return `${server} could not be reached at ${config.url} (${cause}). Check that it is running and its "url" is right.`;
  }
  return `${server} could not start: ${message}.${said}`.replace(/\.\./g, '.');
}
