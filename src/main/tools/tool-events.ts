/** What happened to one call; `running` first, then exactly one of the others. */
export type ToolCallStatus = 'running' | 'done' | 'failed' | 'denied' | 'cancelled';

/**
 * One step of a tool call, for the window and the headless NDJSON. `callId` is the protocol's call
 * id; `name` is the name declared to the model; `server` is the MCP server's configured name
 * ("parley" for built-in tools, "" for a name the model made up). `arguments` are the parsed
 * arguments (the raw text when they were not valid JSON); `result` is the output sent to the model,
 * on final statuses only. Secrets from the server configuration are blanked out of both.
 */
export interface ToolEvent {
  type: 'tool';
  callId: string;
  name: string;
  server: string;
  status: ToolCallStatus;
  arguments: Record<string, unknown> | string;
  result?: string;
}
