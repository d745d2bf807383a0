import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { ListenerSet } from '../audio/listener-set';
import type { McpServerConfig } from './mcp-server-config';
import { describeStartFailure } from './mcp-start-failure';
import { openTransport, type OpenedTransport } from './mcp-transport';
import type { SecretRedactor } from '../secret-redactor';
import { StderrTail } from './stderr-tail';
import type { McpCallResult } from './tool-result-text';
import type { SourceTool, ToolSource, ToolSourceState } from './tool-source';

export interface McpServerConnectionOptions {
  config: McpServerConfig;
  redactor: SecretRedactor;
  log: (line: string) => void;
  /** How long `initialize` and the first `tools/list` may take. */
  startTimeoutMs: number;
  /** Waits before each restart after a crash; when they run out, the server is left failed. */
  restartDelaysMs: readonly number[];
}

/** A server that stayed up this long has recovered: its next crash starts the backoff afresh. */
const HEALTHY_AFTER_MS = 60_000;
/** The SDK's own per-request timeout; the catalog's AbortSignal decides the real one. */
const SDK_CALL_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const MAX_TOOL_PAGES = 50;
/** fetch's error codes, in words (HTTP servers). */
const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection was closed',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'timed out',
};

/**
 * One MCP server: starts it through the SDK client, keeps its tool list current
 * (`notifications/tools/list_changed`), restarts it with backoff when it crashes, and ends it on
 * dispose. Every sentence it exposes has the server's secrets blanked out.
 */
export class McpServerConnection implements ToolSource {
  state: ToolSourceState = 'stopped';
  reason: string | undefined;
  tools: readonly SourceTool[] = [];
  private client: Client | undefined;
  private opened: OpenedTransport | undefined;
  /** Bumped on every (re)start, so callbacks of an older client are ignored. */
  private generation = 0;
  private crashes = 0;
  private readyAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly changed = new ListenerSet<[]>();

  constructor(private readonly options: McpServerConnectionOptions) {}

  get name(): string {
    return this.options.config.name;
  }

  get config(): McpServerConfig {
    return this.options.config;
  }

  get pid(): number | null {
    return this.opened?.pid() ?? null;
  }

  onDidChange(listener: () => void): () => void {
    return this.changed.add(listener);
  }

  async start(): Promise<void> {
    if (this.disposed) return;
    this.set('starting', undefined);
    const failure = await this.connect();
    if (failure !== undefined) {
      this.tools = [];
      this.set('failed', failure);
    }
  }

  async call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    try {
      return await this.callOnce(name, args, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const lost = this.config.transport === 'http' && this.state === 'ready' ? lostConnection(error) : null;
      if (!lost) throw this.callFailure(error);
      // An HTTP server that restarted forgets our session (404) and drops our sockets. A new
      // session at once, not after a backoff: usually it is back already.
      this.options.log(`[mcp ${this.name}] ${lost.why}: starting a new session`);
      const failure = await this.reconnect();
      if (failure !== undefined) throw new Error(`The tool server "${this.name}" ${lost.sentence}. Parley will reconnect to it.`);
      // A refused request was never read, so sending it again cannot run the tool twice; one
      // that broke off may have run, so the model is told instead.
      if (!lost.unread) throw new Error(`The connection to the tool server "${this.name}" broke during the call (${lost.why}). Parley has reconnected; the tool can be called again.`);
      try {
        return await this.callOnce(name, args, signal);
      } catch (retryError) {
        if (signal.aborted) throw signal.reason;
        throw this.callFailure(retryError);
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.restartTimer);
    this.generation++;
    await this.closeClient();
    this.set('stopped', undefined);
    this.changed.clear();
  }

  /** Connects once; returns why it failed, or undefined when ready. */
  private async connect(): Promise<string | undefined> {
    const generation = ++this.generation;
    const { config, redactor, log, startTimeoutMs } = this.options;
    const stderr = new StderrTail((line) => log(redactor.redact(`[mcp ${config.name}] ${line}`)));
    const client = new Client({ name: 'parley', version: '1.0.0' }, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.refreshTools(generation));
    client.onclose = () => this.closed(generation, stderr);
    client.onerror = (error) => log(redactor.redact(`[mcp ${config.name}] ${error.message}`));
    try {
      this.opened = await openTransport(config, stderr);
      this.client = client;
      await client.connect(this.opened.transport, { timeout: startTimeoutMs });
      const tools = await this.listTools(client, startTimeoutMs);
      if (generation !== this.generation) return undefined;
      this.tools = tools;
      this.readyAt = Date.now();
      this.set('ready', undefined);
      return undefined;
    } catch (error) {
      if (generation !== this.generation) return undefined;
      await this.closeClient();
      // The child's last stderr bytes can trail its exit by a tick.
      await new Promise((resolve) => setImmediate(resolve));
      const reason = redactor.redact(describeStartFailure(config, error, stderr.summary(), startTimeoutMs));
      log(reason);
      return reason;
    }
  }

  private async listTools(client: Client, timeout: number): Promise<SourceTool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? tool.title ?? '',
      inputSchema: tool.inputSchema as Record<string, unknown>,
      readOnly: tool.annotations?.readOnlyHint === true,
    }));
  }

  private async refreshTools(generation: number): Promise<void> {
    const client = this.client;
    if (generation !== this.generation || !client || this.state !== 'ready') return;
    try {
      const tools = await this.listTools(client, this.options.startTimeoutMs);
      if (generation !== this.generation) return;
      this.tools = tools;
      this.changed.emit([], (error) => this.options.log(`tool list listener failed: ${String(error)}`));
    } catch (error) {
      this.options.log(this.options.redactor.redact(`Could not re-list the tools of "${this.name}": ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private async callOnce(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const client = this.client;
    if (this.state !== 'ready' || !client) {
      const why = this.state === 'starting' ? 'is restarting; try again in a moment' : `is not running${this.reason ? ` (${this.reason})` : ''}`;
      throw new Error(`The tool server "${this.name}" ${why}.`);
    }
    return (await client.callTool({ name, arguments: args }, undefined, { signal, timeout: SDK_CALL_TIMEOUT_MS })) as McpCallResult;
  }

  /** A call's failure in words. */
  private callFailure(error: unknown): Error {
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) return new Error(`The tool server "${this.name}" stopped during the call.`);
    const unreachable = networkProblem(error);
    if (unreachable) return new Error(`The tool server "${this.name}" could not be reached (${unreachable}).`);
    const message = error instanceof Error ? error.message.replace(/^MCP error -?\d+: /, '').replace(/^Streamable HTTP error: /, '') : String(error);
    return new Error(this.options.redactor.redact(message));
  }

  /** A new session at once (no backoff): the server is there, it only forgot us. */
  private async reconnect(): Promise<string | undefined> {
    clearTimeout(this.restartTimer);
    await this.closeClient();
    this.set('starting', undefined);
    const failure = await this.connect();
    if (failure !== undefined && !this.disposed) this.scheduleRestart(` The last attempt failed: ${failure}`);
    return failure;
  }

  /** The transport closed. After a crash of a ready server: restart after the next backoff step. */
  private closed(generation: number, stderr: StderrTail): void {
    if (generation !== this.generation || this.disposed || this.state !== 'ready') return;
    this.client = undefined;
    this.opened = undefined;
    if (Date.now() - this.readyAt > HEALTHY_AFTER_MS) this.crashes = 0;
    this.set('starting', `The tool server "${this.name}" stopped unexpectedly.`);
    // Reads the tail a tick later: the last stderr bytes can trail the close.
    setImmediate(() => {
      const lastOutput = stderr.summary();
      if (generation === this.generation) this.scheduleRestart(lastOutput ? ` Its last output: "${lastOutput}".` : '');
    });
  }

  /** `said` ends the sentences: the crash's last output, or why the last restart failed. */
  private scheduleRestart(said: string): void {
    if (this.disposed) return;
    const delays = this.options.restartDelaysMs;
    if (this.crashes >= delays.length) {
      this.tools = [];
      this.set('failed', this.options.redactor.redact(`The tool server "${this.name}" stopped ${this.crashes + 1} times in a row, so Parley gave up restarting it.${said} Check it, then switch it off and on again.`));
      return;
    }
    const delay = delays[this.crashes++]!;
    // Its tools stay declared while it restarts, so the model's tool list does not flicker.
    this.set('starting', this.options.redactor.redact(`The tool server "${this.name}" stopped unexpectedly; restarting it in ${(delay / 1000).toFixed(1)} s.${said}`));
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.disposed) return;
    const failure = await this.connect();
    if (failure === undefined || this.disposed) return;
    this.scheduleRestart(` The last attempt failed: ${failure}`);
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.opened = undefined;
    // Client.close closes the transport: the SDK ends the child (stdin EOF, then SIGTERM, then SIGKILL).
    await client?.close().catch(() => undefined);
  }

  private set(state: ToolSourceState, reason: string | undefined): void {
    this.state = state;
    this.reason = reason;
    this.changed.emit([], (error) => this.options.log(`server status listener failed: ${String(error)}`));
  }
}

/** fetch's error code in words, or null when the error is not about the network. */
function networkProblem(error: unknown): string | null {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? (NETWORK_PROBLEMS[code] ?? code) : null;
}

/** Why an HTTP server's connection is gone, and whether the request was refused unread. */
function lostConnection(error: unknown): { why: string; sentence: string; unread: boolean } | null {
  if (error instanceof StreamableHTTPError && error.code === 404) {
    return { why: 'session lost (HTTP 404)', sentence: "lost Parley's session and could not be reached again", unread: true };
  }
  const problem = networkProblem(error);
  if (!problem) return null;
  const unread = (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED';
  return { why: problem, sentence: `could not be reached (${problem})`, unread };
}
