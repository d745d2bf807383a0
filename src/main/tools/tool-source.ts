import type { McpCallResult } from './tool-result-text';

/** A tool as its source offers it, before naming and settings. */
export interface SourceTool {
  /** The name the source knows it by. */
  name: string;
  description: string;
  /** JSON Schema of the arguments, as the source gives it. */
  inputSchema: Record<string, unknown>;
  /** MCP `annotations.readOnlyHint === true`, or a built-in tool: runs without asking. */
  readOnly: boolean;
}

/** starting → ready, or → failed with a reason; a crashed server goes back to starting while it restarts. */
export type ToolSourceState = 'starting' | 'ready' | 'failed' | 'stopped';

/** Where tools come from: Parley's built-in tools or one MCP server. */
export interface ToolSource {
  readonly name: string;
  readonly state: ToolSourceState;
  /** Why it failed or is restarting, as a sentence for the user. */
  readonly reason: string | undefined;
  readonly tools: readonly SourceTool[];
  /** The child's process id, for stdio servers that are running. */
  readonly pid: number | null;
  /** Resolves once the source is ready or has failed; never rejects. */
  start(): Promise<void>;
  /** Runs one tool. Rejects with an Error whose message the model can read; aborts when `signal` does. */
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
  /** Called on any change of state, reason or tools. */
  onDidChange(listener: () => void): () => void;
  dispose(): Promise<void>;
}
