import { z } from 'zod';
import { McpConfigError, mcpConfigFromJson, type McpServerConfig } from './mcp-config';

/**
 * The `tools` settings group: the MCP servers in the common format, the switches, the call
 * timeout and the tools the user chose to always allow.
 *
 * Secrets: the values of a server's `env` and `headers` hold tokens, and they never travel to
 * the window in clear. Everything the main process sends there goes through `maskToolSecrets`,
 * which replaces each value with MASKED_SECRET. When the window sends servers back (pasted
 * JSON), `restoreToolSecrets` puts the stored value back wherever it finds MASKED_SECRET under
 * the same server and key; a masked value with nothing stored behind it is refused in words.
 */

/** One server as the common format writes it: `{command, args?, env?, cwd?}` or `{url, headers?}`. */
export type McpServerEntry =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

export const MIN_CALL_TIMEOUT_MS = 1000;
export const MAX_CALL_TIMEOUT_MS = 600_000;

/** Shown instead of a secret value; not a plausible token, so it cannot be mistaken for one. */
export const MASKED_SECRET = '••••••••';

const McpServersSchema = z.record(z.string(), z.custom<McpServerEntry>((value) => typeof value === 'object' && value !== null && !Array.isArray(value))).superRefine((servers, context) => {
  // The same rules and sentences as `--mcp-config` (parseMcpConfig).
  try {
    mcpConfigFromJson({ mcpServers: servers });
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof McpConfigError ? error.message : String(error) });
  }
});

export const ToolsSettingsSchema = z.object({
  mcpServers: McpServersSchema.default({}),
  /** Server names switched off. */
  disabledServers: z.array(z.string()).default([]),
  /** Tool keys `server/originalName` switched off ("parley/get_current_time" for a built-in). */
  disabledTools: z.array(z.string()).default([]),
  callTimeoutMs: z.number().int().min(MIN_CALL_TIMEOUT_MS).max(MAX_CALL_TIMEOUT_MS).default(30_000),
  /** Tool keys answered "Always allow this tool". */
  alwaysAllowed: z.array(z.string()).default([]),
});

export type ToolsSettings = z.infer<typeof ToolsSettingsSchema>;

/** The configured servers as the tool catalog takes them. */
export function mcpServerConfigs(tools: ToolsSettings): McpServerConfig[] {
  return mcpConfigFromJson({ mcpServers: tools.mcpServers });
}

function secretsOf(entry: McpServerEntry): Record<string, string> | undefined {
  return 'command' in entry ? entry.env : entry.headers;
}

function withSecrets(entry: McpServerEntry, secrets: Record<string, string>): McpServerEntry {
  return 'command' in entry ? { ...entry, env: secrets } : { ...entry, headers: secrets };
}

/** The servers with every env/header value replaced by MASKED_SECRET, for the window. */
export function maskMcpServers(servers: Record<string, McpServerEntry>): Record<string, McpServerEntry> {
  return Object.fromEntries(
    Object.entries(servers).map(([name, entry]) => {
      const secrets = secretsOf(entry);
      return [name, secrets ? withSecrets(entry, Object.fromEntries(Object.keys(secrets).map((key) => [key, MASKED_SECRET]))) : entry];
    }),
  );
}

export function maskToolSecrets<T extends { tools: ToolsSettings }>(settings: T): T {
  return { ...settings, tools: { ...settings.tools, mcpServers: maskMcpServers(settings.tools.mcpServers) } };
}

/**
 * Puts the stored values back where the window sent MASKED_SECRET. Throws McpConfigError naming
 * the server and key when there is no stored value to put back.
 */
export function restoreToolSecrets(incoming: Record<string, McpServerEntry>, stored: Record<string, McpServerEntry>): Record<string, McpServerEntry> {
  const problems: string[] = [];
  const restored = Object.fromEntries(
    Object.entries(incoming).map(([name, entry]) => {
      const secrets = typeof entry === 'object' && entry !== null ? secretsOf(entry) : undefined;
      if (!secrets || typeof secrets !== 'object') return [name, entry];
      const before = stored[name] ? secretsOf(stored[name]) : undefined;
      const field = 'command' in entry ? 'env' : 'headers';
      const values = Object.fromEntries(
        Object.entries(secrets).map(([key, value]) => {
          if (value !== MASKED_SECRET) return [key, value];
          const kept = before?.[key];
          if (kept === undefined) problems.push(`MCP server "${name}": "${field}.${key}" is hidden (${MASKED_SECRET}) but Parley has no saved value for it; type the real value.`);
          return [key, kept ?? value];
        }),
      );
      return [name, withSecrets(entry, values)];
    }),
  );
  if (problems.length > 0) throw new McpConfigError(problems.join(' '));
  return restored;
}
