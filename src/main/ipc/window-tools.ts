import { mcpServerConfigs } from '../../shared/tool-settings';
import type { SettingsStore } from '../settings/settings-file';
import { ToolApprovals } from '../tools/tool-approvals';
import { ToolApprovalPolicy, ToolCatalog } from '../tools/tool-catalog';
import { saveAlwaysAllowed, type IpcToolDeps } from './tool-handlers';

export interface WindowTools extends IpcToolDeps {
  /** Denies waiting approvals and ends every MCP server process. */
  dispose(): Promise<void>;
}

/**
 * The tool layer of the desktop app, built from the saved settings: the catalog with the
 * configured servers and switches, a policy that asks through approval cards (read-only and
 * built-in tools run without asking), and "Always allow this tool" saved to the settings.
 * The servers start in the background. Pass `catalog` to the engine and the whole thing to
 * the IPC handlers as `tools`.
 */
export function createWindowTools(settingsStore: SettingsStore, log: (line: string) => void): WindowTools {
  const tools = settingsStore.current.tools;
  const approvals = new ToolApprovals(log);
  const policy = new ToolApprovalPolicy({
    mode: 'read-only',
    alwaysAllowed: tools.alwaysAllowed,
    approve: approvals.ask,
    onAlwaysAllow: (toolKey) => {
      saveAlwaysAllowed(settingsStore, toolKey).catch((error: unknown) => log(`could not save "always allow" for ${toolKey}: ${String(error)}`));
    },
  });
  const catalog = new ToolCatalog({
    servers: mcpServerConfigs(tools),
    policy,
    settings: { disabledServers: tools.disabledServers, disabledTools: tools.disabledTools, callTimeoutMs: tools.callTimeoutMs },
    log,
  });
  void catalog.start();
  return {
    catalog,
    approvals,
    async dispose() {
      approvals.dispose();
      await catalog.dispose();
    },
  };
}
