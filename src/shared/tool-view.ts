/** What the window shows of the tool layer: plain data, no secrets (see tool-settings.ts). */

export interface ToolView {
  originalName: string;
  /** The name declared to the model; null while the tool is not declared. */
  declaredName: string | null;
  /** `server/originalName`: the key the switches use. */
  toolKey: string;
  description: string;
  readOnly: boolean;
  enabled: boolean;
}

export interface ToolServerView {
  name: string;
  transport: 'built-in' | 'stdio' | 'http';
  enabled: boolean;
  state: 'starting' | 'ready' | 'failed' | 'stopped';
  reason?: string;
  tools: ToolView[];
}

/** A call waiting for the user's answer on an approval card. */
export interface ApprovalView {
  callId: string;
  name: string;
  server: string;
  description: string;
  arguments: Record<string, unknown>;
}

export type ApprovalChoice = 'allow-once' | 'always-allow' | 'deny';
