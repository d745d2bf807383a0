import { UserFacingError } from '../user-facing-error';
import { secretValuesOf } from './mcp-server-config';
import { McpConfigError, readMcpConfigFile, ToolApprovalPolicy, ToolCatalog, type ApprovalAnswer, type ApprovalRequest, type McpServerConfig, type ToolApprovalMode } from './tool-catalog';

export interface ToolSetupOptions {
  /** An MCP config file in the common format; null for the built-in tools only. */
  mcpConfigPath: string | null;
  mode: ToolApprovalMode;
  /** Asks the user about a tool that is not read-only; without it, such tools are declined. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  log: (line: string) => void;
}

export interface ToolSetup {
  catalog: ToolCatalog;
  /** The credentials in the servers' `env` and `headers`, for the log's redactor. */
  secrets: string[];
  /** Why the configuration could not be used (the built-in tools still are). */
  problem: UserFacingError | null;
}

/**
 * The tool catalog for a composition root (headless or the desktop app): the built-in tools
 * plus the MCP servers of a config file. A file that cannot be read or parsed is reported in
 * words and leaves the built-in tools working. The servers start in the background; their
 * tools are declared as each becomes ready.
 */
export async function setUpTools(options: ToolSetupOptions): Promise<ToolSetup> {
  let servers: McpServerConfig[] = [];
  let problem: UserFacingError | null = null;
  if (options.mcpConfigPath) {
    try {
      servers = await readMcpConfigFile(options.mcpConfigPath);
    } catch (error) {
      const sentence = error instanceof McpConfigError ? error.message : `Parley could not read the MCP configuration ${options.mcpConfigPath}.`;
      problem = new UserFacingError('bad-settings', sentence);
    }
  }
  const policy = new ToolApprovalPolicy({ mode: options.mode, ...(options.approve ? { approve: options.approve } : {}) });
  const catalog = new ToolCatalog({ servers, policy, log: options.log });
  void catalog.start();
  return { catalog, secrets: secretValuesOf(servers), problem };
}
