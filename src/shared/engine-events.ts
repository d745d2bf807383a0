/**
 * The events the engine reports. The headless mode prints them as JSON lines and the
 * window receives the very same objects over IPC, so this file is the one definition.
 */

export const ASSISTANT_STATES = ['connecting', 'idle', 'listening', 'thinking', 'using-tool', 'speaking', 'error'] as const;
export type AssistantState = (typeof ASSISTANT_STATES)[number];

export type Role = 'user' | 'assistant';

export interface StateEvent {
  type: 'state';
  state: AssistantState;
}

/** `text` is always the whole text so far, never a delta, so a dropped update loses nothing. */
export interface TranscriptEvent {
  type: 'transcript';
  role: Role;
  itemId: string;
  text: string;
  final: boolean;
  /** The assistant was cut off; `text` is trimmed to what the user heard where that is known. */
  interrupted?: boolean;
  /** The server ended the reply early (its length limit): `text` is all it sent, not a whole answer. */
  cutOff?: boolean;
  /** A user turn sent as audio with no words yet: its length in milliseconds. */
  clipMs?: number;
}

export interface ErrorEvent {
  type: 'error';
  /** A sentence a person can act on. */
  message: string;
  code: ErrorCode;
  /** What the window offers next to the message. */
  action?: ErrorAction;
  /**
   * The message's key in src/shared/i18n and its values, so the window can show it in the
   * user's language; `message` stays English for headless mode and the logs.
   */
  messageKey?: string;
  params?: Record<string, string | number>;
}

/** Microphone level, 0..1, sent a few times a second while listening or testing the mic. */
export interface LevelEvent {
  type: 'level';
  level: number;
}

/** What happened to one call; `running` first, then exactly one of the others. */
export type ToolCallStatus = 'running' | 'done' | 'failed' | 'denied' | 'cancelled';

/**
 * One step of a tool call. `callId` is the protocol's call id; `name` is the name declared to
 * the model; `server` is the MCP server's configured name ("parley" for built-in tools, "" for
 * a name the model made up). `arguments` are the parsed arguments (the raw text when they were
 * not valid JSON); `result` is the output sent to the model, on final statuses only. Secrets
 * from the server configuration are blanked out of both.
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

export type EngineEvent = StateEvent | TranscriptEvent | ErrorEvent | LevelEvent | ToolEvent;

export const ERROR_CODES = [
  'auth',
  'unreachable',
  'timeout',
  'model-not-found',
  'audio-unsupported',
  'clip-too-large',
  'rate-limited',
  'stream-broken',
  'server',
  'protocol',
  'session-expired',
  'mic-unavailable',
  'speaker-unavailable',
  'hotkey-unavailable',
  'bad-settings',
  'no-api-key',
  /** Parley will not do what was asked (a link outside its allow-list). */
  'refused',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorAction = 'open-settings' | 'retry';
