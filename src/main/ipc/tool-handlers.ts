import type { AppEvent } from '../../shared/ipc';
import { McpConfigError, parseMcpConfig } from '../../shared/mcp-config';
import type { Settings } from '../../shared/settings';
import { mcpServerConfigs, restoreToolSecrets, type McpServerEntry, type ToolsSettings } from '../../shared/tool-settings';
import type { ToolServerView } from '../../shared/tool-view';
import type { SettingsStore } from '../settings/settings-file';
import type { ToolApprovals } from '../tools/tool-approvals';
import type { ToolCatalog, ToolServerStatus } from '../tools/tool-catalog';
import { UserFacingError } from '../user-facing-error';
import { route, type IpcHandler } from './ipc-route';

/** The tool layer as the window reaches it. */
export interface IpcToolDeps {
  catalog: ToolCatalog;
  /** The policy's `approve` hook feeds this; the window answers through `tools.answerApproval`. */
  approvals: ToolApprovals;
}

type ToolRoute = 'tools.status' | 'tools.saveServers' | 'tools.removeServer' | 'tools.setEnabled' | 'tools.setCallTimeout' | 'tools.answerApproval';

/** The status without the process ids: the window has no use for them. */
function toolServerViews(servers: readonly ToolServerStatus[]): ToolServerView[] {
  return servers.map(({ pid: _pid, ...view }) => view);
}

/**
 * The `tools.*` routes. Each change is saved to the settings file first and then applied to
 * the catalog, so what the user sees is what the next start will use. Without tools (a test or
 * a build that has none), each route answers with a sentence instead.
 */
export function createToolHandlers(deps: { tools?: IpcToolDeps | null; settingsStore: SettingsStore; pushEvent(event: AppEvent): void }): { [R in ToolRoute]: IpcHandler<R> } {
  const { settingsStore } = deps;
  const tools = (): IpcToolDeps => {
    if (!deps.tools) throw new UserFacingError('refused', 'Tools are not available in this build of Parley.', { text: { key: 'errors.tools.unavailable' } });
    return deps.tools;
  };
  const status = (): ToolServerView[] => toolServerViews(tools().catalog.servers());
  const saveTools = async (change: Partial<ToolsSettings>): Promise<ToolsSettings> => {
    const current = settingsStore.current;
    const next: Settings = { ...current, tools: { ...current.tools, ...change } };
    await settingsStore.save(next);
    return settingsStore.current.tools;
  };

  if (deps.tools) {
    const { catalog, approvals } = deps.tools;
    catalog.onDidChangeServers(() => deps.pushEvent({ type: 'tool-servers', servers: toolServerViews(catalog.servers()) }));
    approvals.onRequest((view) => deps.pushEvent({ type: 'approval', ...view }));
    approvals.onWithdrawn((callId) => deps.pushEvent({ type: 'approval-withdrawn', callId }));
  }

  return {
    // Asking is not an error without tools: the Tools section just has nothing to list.
    'tools.status': route('tools.status', async () => (deps.tools ? status() : [])),

    'tools.saveServers': route('tools.saveServers', async ({ json }) => {
      const { catalog } = tools();
      const stored = settingsStore.current.tools.mcpServers;
      let mcpServers: Record<string, McpServerEntry>;
      try {
        // Same rules and sentences as `--mcp-config`; then hidden values get their saved ones back.
        parseMcpConfig(json);
        const pasted = (JSON.parse(json) as { mcpServers: Record<string, McpServerEntry> }).mcpServers;
        if (Object.keys(pasted).length === 0) throw new McpConfigError('"mcpServers" is empty; add at least one server, like {"mcpServers": {"files": {"command": "…"}}}.');
        mcpServers = { ...stored, ...restoreToolSecrets(pasted, stored) };
      } catch (error) {
        if (error instanceof McpConfigError) throw new UserFacingError('bad-settings', error.message);
        throw error;
      }
      const saved = await saveTools({ mcpServers });
      void catalog.setServers(mcpServerConfigs(saved));
      return status();
    }),

    'tools.removeServer': route('tools.removeServer', async ({ name }) => {
      const { catalog } = tools();
      const current = settingsStore.current.tools;
      if (!Object.hasOwn(current.mcpServers, name)) {
        throw new UserFacingError('bad-settings', `There is no MCP server named "${name}" to remove.`, { text: { key: 'errors.tools.noSuchServer', params: { name } } });
      }
      const { [name]: _removed, ...mcpServers } = current.mcpServers;
      const belongs = (key: string) => key.startsWith(`${name}/`);
      const saved = await saveTools({
        mcpServers,
        disabledServers: current.disabledServers.filter((server) => server !== name),
        disabledTools: current.disabledTools.filter((key) => !belongs(key)),
        alwaysAllowed: current.alwaysAllowed.filter((key) => !belongs(key)),
      });
      for (const key of current.alwaysAllowed.filter(belongs)) catalog.policy.forget(key);
      catalog.setSettings({ disabledServers: saved.disabledServers, disabledTools: saved.disabledTools });
      void catalog.setServers(mcpServerConfigs(saved));
      return status();
    }),

    'tools.setEnabled': route('tools.setEnabled', async ({ server, tool, enabled }) => {
      const { catalog } = tools();
      const current = settingsStore.current.tools;
      const toggle = (list: readonly string[], key: string) => (enabled ? list.filter((entry) => entry !== key) : [...new Set([...list, key])]);
      const saved = await saveTools(tool === undefined ? { disabledServers: toggle(current.disabledServers, server) } : { disabledTools: toggle(current.disabledTools, `${server}/${tool}`) });
      catalog.setSettings({ disabledServers: saved.disabledServers, disabledTools: saved.disabledTools });
      return status();
    }),

    'tools.setCallTimeout': route('tools.setCallTimeout', async ({ ms }) => {
      const saved = await saveTools({ callTimeoutMs: ms });
      tools().catalog.setSettings({ callTimeoutMs: saved.callTimeoutMs });
      return { callTimeoutMs: saved.callTimeoutMs };
    }),

    'tools.answerApproval': route('tools.answerApproval', async ({ callId, answer }) => {
      if (!tools().approvals.answer(callId, answer)) {
        throw new UserFacingError('refused', 'That tool call is no longer waiting for an answer: it was answered or cancelled.', { text: { key: 'errors.tools.approvalGone' } });
      }
      return null;
    }),
  };
}

/** For the policy's `onAlwaysAllow`: "Always allow this tool" is remembered across restarts. */
export async function saveAlwaysAllowed(settingsStore: SettingsStore, toolKey: string): Promise<void> {
  const current = settingsStore.current;
  if (current.tools.alwaysAllowed.includes(toolKey)) return;
  await settingsStore.save({ ...current, tools: { ...current.tools, alwaysAllowed: [...current.tools.alwaysAllowed, toolKey] } });
}
