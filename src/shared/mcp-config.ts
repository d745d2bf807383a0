/**
 * The MCP server configuration format other hosts use, and its rules. In src/shared because the
 * settings schema checks `tools.mcpServers` with the very same rules the headless
 * `--mcp-config` file gets (no Node imports here: the window bundles it too).
 */
import { z } from 'zod';

/** One MCP server as configured: a command run over stdio, or a Streamable HTTP endpoint. */
export type McpServerConfig =
  | { name: string; transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { name: string; transport: 'http'; url: string; headers: Record<string, string> };

/** The server name Parley's built-in tools live under; a configured server may not take it. */
export const BUILT_IN_SERVER_NAME = 'parley';

/** A configuration the user must fix; the message names the server and the field. */
export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

const stringMap = z.record(z.string(), z.string());
// Unknown fields are ignored, not refused: other hosts add their own ("disabled", "autoApprove",
// "timeout"), and a user's existing file should load unchanged.
const stdioShape = z.object({
  command: z.string().trim().min(1),
  args: z.array(z.string()).optional(),
  env: stringMap.optional(),
  cwd: z.string().min(1).optional(),
  // Written by other MCP hosts; accepted so their files load unchanged.
  type: z.literal('stdio').optional(),
});
const httpShape = z.object({
  url: z.url({ protocol: /^https?$/ }),
  headers: stringMap.optional(),
  type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
});

/**
 * Reads the configuration format other MCP hosts use:
 * `{"mcpServers": {"NAME": {"command", "args"?, "env"?, "cwd"?}}}` or `{"NAME": {"url", "headers"?}}`.
 * Throws McpConfigError with one sentence per problem. Values of `env` and `headers` are never
 * quoted in a message: they hold tokens.
 */
export function parseMcpConfig(text: string): McpServerConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(`The MCP configuration is not valid JSON: ${jsonProblem(text, error)}. Fix it and load it again.`);
  }
  return mcpConfigFromJson(json);
}

export function mcpConfigFromJson(json: unknown): McpServerConfig[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('mcpServers' in json)) {
    throw new McpConfigError('The MCP configuration must be an object with an "mcpServers" field, like {"mcpServers": {"files": {"command": "…"}}}.');
  }
  const servers = (json as { mcpServers: unknown }).mcpServers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new McpConfigError('"mcpServers" must be an object that maps each server name to its settings.');
  }
  const problems: string[] = [];
  const configs: McpServerConfig[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (name.trim() === '') problems.push('A server has an empty name; give each server a name.');
    else if (name === BUILT_IN_SERVER_NAME) problems.push(`The server name "${name}" is reserved for Parley's built-in tools; rename that server.`);
    else {
      const parsed = parseServer(name, entry);
      if (typeof parsed === 'string') problems.push(parsed);
      else configs.push(parsed);
    }
  }
  if (problems.length > 0) throw new McpConfigError(problems.join(' '));
  return configs;
}

function parseServer(name: string, entry: unknown): McpServerConfig | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return `MCP server "${name}" must be an object with either "command" (a program to run) or "url" (an HTTP endpoint).`;
  }
  if ('command' in entry) {
    const result = stdioShape.safeParse(entry);
    if (!result.success) return `MCP server "${name}": ${describeIssue(result.error)}.`;
    const { command, args = [], env = {}, cwd } = result.data;
    return { name, transport: 'stdio', command, args, env, ...(cwd ? { cwd } : {}) };
  }
  if ('url' in entry) {
    const result = httpShape.safeParse(entry);
    if (!result.success) return `MCP server "${name}": ${describeIssue(result.error)}.`;
    return { name, transport: 'http', url: result.data.url, headers: result.data.headers ?? {} };
  }
  return `MCP server "${name}" needs either "command" (a program to run) or "url" (an HTTP endpoint).`;
}

/** Names the field and what it should be, never the value (it may be a token). */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  if (field === 'url') return '"url" must be an http:// or https:// address';
  if (field === 'command') return '"command" must be a non-empty text';
  if (field.startsWith('env') || field.startsWith('headers')) return `"${field}" must map names to text values`;
  if (field.startsWith('args')) return '"args" must be a list of texts';
  if (field === 'cwd') return '"cwd" must be a folder path';
  if (field === 'type') return '"type" does not match the server\'s other fields';
  return `"${field}" is not valid`;
}

function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
