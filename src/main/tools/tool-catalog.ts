/**
 * The tool layer's front door: the tools Parley offers the model, and the one way to call them.
 *
 *   const catalog = new ToolCatalog({ servers: parseMcpConfig(text), policy: new ToolApprovalPolicy({ mode: 'read-only' }) });
 *   catalog.onDidChangeTools(() => backend.declare(catalog.realtimeTools()));   // re-declare to the model
 *   catalog.onToolEvent((event) => ndjson.write(event));                         // {type:'tool', …}
 *   await catalog.start();                                                        // servers ready or failed
 *   const result = await catalog.call(name, argumentsJson, { callId, signal });   // never rejects
 *   send(result.status === 'cancelled' ? nothing : result.output);
 *   await catalog.dispose();                                                      // ends every server process
 *
 * - Sources: Parley's built-in tools (server "parley") and MCP servers (stdio or Streamable HTTP).
 * - Declared tools: enabled tools of enabled sources that are ready (or restarting after a crash),
 *   named by assignToolNames, as `realtimeTools()` or `chatCompletionTools()`; `onDidChangeTools`
 *   fires only when that list really changes (server ready/failed, list_changed, a switch).
 * - Settings: `setSettings` switches servers and tools (keys `server/originalName`) and sets the
 *   call timeout; `setServers` applies a new configuration, restarting only changed servers.
 * - Calls: see ToolCallRunner (exactly once per callId, approval, timeout, cancellation, limits).
 */
import type { ToolServerView, ToolView } from '../../shared/tool-view';
import { ListenerSet } from '../audio/listener-set';
import { BuiltInTools, type BuiltInToolsOptions } from './built-in-tools';
import { McpServerConnection } from './mcp-server-connection';
import { secretValuesOf, type McpServerConfig } from './mcp-server-config';
import { SecretRedactor } from '../secret-redactor';
import type { ToolApprovalPolicy } from './tool-approval-policy';
import { ToolCallRunner, type ResolvedTool, type ToolCallOptions, type ToolCallResult } from './tool-call-runner';
import { parametersOf, toChatCompletionTool, type ChatCompletionToolDeclaration, type RealtimeToolDeclaration } from './tool-declarations';
import type { ToolEvent } from './tool-events';
import { assignToolNames } from './tool-names';
import type { ToolSource, ToolSourceState } from './tool-source';

// The types a caller of the catalog needs, from the one module it imports.
export type { ChatCompletionToolDeclaration, RealtimeToolDeclaration, ToolCallOptions, ToolCallResult, ToolEvent };
export type { ApprovalAnswer, ApprovalRequest, ToolApprovalMode } from './tool-approval-policy';
export { ToolApprovalPolicy, TOOL_APPROVAL_MODES } from './tool-approval-policy';
export { McpConfigError, parseMcpConfig, readMcpConfigFile, type McpServerConfig } from './mcp-server-config';
export { MAX_TOOL_OUTPUT_CHARS } from './tool-result-text';

export interface ToolSettings {
  /** Configured servers switched off: not started, their tools not declared. */
  disabledServers: readonly string[];
  /** Tools switched off, as `server/originalName` ("parley/get_current_time" for a built-in). */
  disabledTools: readonly string[];
  /** How long one call may run before the model is told it timed out. */
  callTimeoutMs: number;
}

export const DEFAULT_TOOL_SETTINGS: ToolSettings = { disabledServers: [], disabledTools: [], callTimeoutMs: 30_000 };
/** Long enough for `npx -y some-server` to fetch its package on a first start. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_RESTART_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16_000];

export interface ToolCatalogOptions {
  servers: readonly McpServerConfig[];
  policy: ToolApprovalPolicy;
  settings?: Partial<ToolSettings>;
  log?: (line: string) => void;
  builtIns?: BuiltInToolsOptions;
  startTimeoutMs?: number;
  restartDelaysMs?: readonly number[];
}

/** One tool as the Tools settings list it: the window's shape (src/shared/tool-view.ts). */
export type ToolStatus = ToolView;

/** A server as the Tools settings list it, plus what only the engine needs (its process id). */
export interface ToolServerStatus extends ToolServerView {
  state: ToolSourceState;
  pid: number | null;
}

export class ToolCatalog {
  readonly policy: ToolApprovalPolicy;
  private readonly builtIns: BuiltInTools;
  private configs: McpServerConfig[];
  private readonly connections = new Map<string, McpServerConnection>();
  private settings: ToolSettings;
  private readonly redactor: SecretRedactor;
  private readonly runner: ToolCallRunner;
  private declared: Array<RealtimeToolDeclaration & { resolved: ResolvedTool }> = [];
  private declaredSignature = '';
  private readonly toolsChanged = new ListenerSet<[]>();
  private readonly serversChanged = new ListenerSet<[]>();
  private readonly toolEvents = new ListenerSet<[ToolEvent]>();
  private readonly log: (line: string) => void;
  private disposed = false;
  /**
   * If Parley exits without dispose (an uncaught error, process.exit), its servers must not live
   * on: 'exit' listeners run synchronously, so all that is left is a signal to each child.
   */
  private readonly endChildrenOnExit = (): void => {
    for (const connection of this.connections.values()) {
      if (connection.pid !== null) {
        try {
          process.kill(connection.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  };

  constructor(private readonly options: ToolCatalogOptions) {
    this.policy = options.policy;
    this.configs = [...options.servers];
    this.settings = { ...DEFAULT_TOOL_SETTINGS, ...options.settings };
    this.redactor = new SecretRedactor();
    this.redactor.setSecrets('mcp', secretValuesOf(this.configs));
    this.log = options.log ?? (() => undefined);
    this.builtIns = new BuiltInTools(options.builtIns);
    this.runner = new ToolCallRunner({
      resolve: (name) => this.declared.find((tool) => tool.name === name)?.resolved,
      declaredNames: () => this.declared.map((tool) => tool.name),
      policy: this.policy,
      redactor: this.redactor,
      timeoutMs: () => this.settings.callTimeoutMs,
      emit: (event) => this.toolEvents.emit([event], (error) => this.log(`tool event listener failed: ${String(error)}`)),
    });
    this.refresh();
    process.on('exit', this.endChildrenOnExit);
  }

  /** Starts every enabled server; resolves when each is ready or has failed. Never rejects. */
  async start(): Promise<void> {
    await Promise.all(this.configs.map((config) => this.ensureStarted(config)));
  }

  /** Applies a new server configuration: removed servers end, changed ones restart, new ones start. */
  async setServers(configs: readonly McpServerConfig[]): Promise<void> {
    const previous = new Map(this.configs.map((config) => [config.name, JSON.stringify(config)]));
    // Old secrets stay redacted too: a server being replaced may still print them as it ends.
    this.redactor.setSecrets('mcp', secretValuesOf([...this.configs, ...configs]));
    this.configs = [...configs];
    const ending = [...this.connections.keys()].filter((name) => previous.get(name) !== JSON.stringify(configs.find((config) => config.name === name)));
    await Promise.all(ending.map((name) => this.stopServer(name)));
    this.refresh();
    await Promise.all(this.configs.map((config) => this.ensureStarted(config)));
  }

  setSettings(settings: Partial<ToolSettings>): void {
    this.settings = { ...this.settings, ...settings };
    for (const name of this.settings.disabledServers) void this.stopServer(name);
    for (const config of this.configs) void this.ensureStarted(config);
    this.refresh();
  }

  realtimeTools(): RealtimeToolDeclaration[] {
    return this.declared.map(({ type, name, description, parameters }) => ({ type, name, description, parameters }));
  }

  chatCompletionTools(): ChatCompletionToolDeclaration[] {
    return this.realtimeTools().map(toChatCompletionTool);
  }

  servers(): ToolServerStatus[] {
    const sources: Array<{ source: ToolSource | undefined; name: string; transport: ToolServerStatus['transport'] }> = [
      { source: this.builtIns, name: this.builtIns.name, transport: 'built-in' },
      ...this.configs.map((config) => ({ source: this.connections.get(config.name), name: config.name, transport: config.transport })),
    ];
    return sources.map(({ source, name, transport }) => ({
      name,
      transport,
      enabled: !this.settings.disabledServers.includes(name),
      state: source?.state ?? 'stopped',
      ...(source?.reason ? { reason: source.reason } : {}),
      pid: source?.pid ?? null,
      tools: (source?.tools ?? []).map((tool) => {
        const toolKey = `${name}/${tool.name}`;
        const declaredName = this.declared.find((entry) => entry.resolved.subject.toolKey === toolKey)?.name ?? null;
        return { originalName: tool.name, declaredName, toolKey, description: tool.description, readOnly: tool.readOnly, enabled: !this.settings.disabledTools.includes(toolKey) };
      }),
    }));
  }

  call(name: string, argumentsJson: string, options: ToolCallOptions): Promise<ToolCallResult> {
    return this.runner.call(name, argumentsJson, options);
  }

  /** The declared tools changed: declare them to the model again. */
  onDidChangeTools(listener: () => void): () => void {
    return this.toolsChanged.add(listener);
  }

  /** A server's state, reason or tool list changed (for the Tools settings). */
  onDidChangeServers(listener: () => void): () => void {
    return this.serversChanged.add(listener);
  }

  onToolEvent(listener: (event: ToolEvent) => void): () => void {
    return this.toolEvents.add(listener);
  }

  /** Cancels running calls and ends every server process. */
  async dispose(): Promise<void> {
    this.disposed = true;
    process.off('exit', this.endChildrenOnExit);
    this.runner.cancelAll();
    await Promise.all([...this.connections.keys()].map((name) => this.stopServer(name)));
    this.toolsChanged.clear();
    this.serversChanged.clear();
    this.toolEvents.clear();
  }

  private async ensureStarted(config: McpServerConfig): Promise<void> {
    if (this.disposed || this.connections.has(config.name) || this.settings.disabledServers.includes(config.name)) return;
    const connection = new McpServerConnection({
      config,
      redactor: this.redactor,
      log: this.log,
      startTimeoutMs: this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      restartDelaysMs: this.options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS,
    });
    this.connections.set(config.name, connection);
    connection.onDidChange(() => this.refresh());
    await connection.start();
  }

  private async stopServer(name: string): Promise<void> {
    const connection = this.connections.get(name);
    if (!connection) return;
    this.connections.delete(name);
    await connection.dispose();
    this.refresh();
  }

  /** Recomputes the declared tools; tells listeners when they changed. */
  private refresh(): void {
    const candidates: ResolvedTool[] = [];
    const sources: ToolSource[] = [this.builtIns, ...this.configs.flatMap((config) => this.connections.get(config.name) ?? [])];
    for (const source of sources) {
      const builtIn = source === this.builtIns;
      if (this.settings.disabledServers.includes(source.name) || (source.state !== 'ready' && source.state !== 'starting')) continue;
      for (const tool of source.tools) {
        const toolKey = `${source.name}/${tool.name}`;
        if (!this.settings.disabledTools.includes(toolKey)) candidates.push({ source, tool, subject: { toolKey, readOnly: tool.readOnly, builtIn } });
      }
    }
    const names = assignToolNames(candidates.map(({ source, tool }) => ({ server: source.name, originalName: tool.name })));
    this.declared = candidates.map((resolved, index) => ({
      type: 'function' as const,
      name: names[index]!,
      description: resolved.tool.description,
      parameters: parametersOf(resolved.tool.inputSchema),
      resolved,
    }));
    const signature = JSON.stringify(this.realtimeTools());
    const onError = (error: unknown): void => this.log(`tool catalog listener failed: ${String(error)}`);
    this.serversChanged.emit([], onError);
    if (signature === this.declaredSignature) return;
    this.declaredSignature = signature;
    this.toolsChanged.emit([], onError);
  }
}
