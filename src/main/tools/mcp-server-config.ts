import { readFile } from 'node:fs/promises';
import { McpConfigError, parseMcpConfig, type McpServerConfig } from '../../shared/mcp-config';

export { BUILT_IN_SERVER_NAME, McpConfigError, mcpConfigFromJson, parseMcpConfig, type McpServerConfig } from '../../shared/mcp-config';

/** Reads `--mcp-config FILE`; a missing or unreadable file is an McpConfigError naming it. */
export async function readMcpConfigFile(path: string): Promise<McpServerConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new McpConfigError(`The MCP configuration file "${path}" ${why}.`);
  }
  try {
    return parseMcpConfig(text);
  } catch (error) {
    throw new McpConfigError(`In "${path}": ${(error as Error).message}`);
  }
}

/** The servers' `env` and `headers` values, and for "Bearer abc…" the credential alone, which a message may quote too. */
export function secretValuesOf(configs: readonly McpServerConfig[]): string[] {
  const values = new Set<string>();
  for (const config of configs) {
    const map = config.transport === 'stdio' ? config.env : config.headers;
    for (const value of Object.values(map)) {
      values.add(value);
      const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      if (credential) values.add(credential);
    }
  }
  return [...values];
}
