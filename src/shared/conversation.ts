import type { Role, ToolEvent, TranscriptEvent } from './engine-events';

/** One line of the conversation as the window shows it: a turn's words, or a tool call. */
export interface ConversationLine {
  itemId: string;
  role: Role | 'tool';
  text: string;
  final: boolean;
  interrupted: boolean;
  /** The server ended the reply early, at its length limit. */
  cutOff?: boolean;
  clipMs?: number;
  /** For a tool call: which tool, how it went, with what, and what came back. */
  tool?: Omit<ToolEvent, 'type' | 'callId'>;
}

/**
 * Folds one transcript event into the conversation. Events carry the whole text so far,
 * so applying the newest one is always right, whatever was skipped or batched before it.
 * A line keeps its first position: a user's words that arrive after the reply began
 * still sit above that reply.
 */
export function applyTranscript(lines: readonly ConversationLine[], event: TranscriptEvent): ConversationLine[] {
  const index = lines.findIndex((line) => line.itemId === event.itemId);
  const next: ConversationLine = {
    itemId: event.itemId,
    role: event.role,
    text: event.text,
    final: event.final,
    interrupted: event.interrupted ?? false,
    ...(event.cutOff ? { cutOff: true } : {}),
    ...(event.clipMs !== undefined ? { clipMs: event.clipMs } : {}),
  };
  if (index === -1) return [...lines, next];
  const previous = lines[index]!;
  const merged: ConversationLine = {
    ...next,
    // A clip length, once known, stays: the words that replace it do not carry it.
    ...(next.clipMs === undefined && previous.clipMs !== undefined ? { clipMs: previous.clipMs } : {}),
    interrupted: next.interrupted || previous.interrupted,
  };
  const copy = lines.slice();
  copy[index] = merged;
  return copy;
}

/** Folds a tool call's step into the conversation: one line per call, where the call first appeared. */
export function applyToolEvent(lines: readonly ConversationLine[], event: ToolEvent): ConversationLine[] {
  const itemId = `tool:${event.callId}`;
  const { type: _type, callId: _callId, ...tool } = event;
  const next: ConversationLine = { itemId, role: 'tool', text: event.result ?? '', final: event.status !== 'running', interrupted: event.status === 'cancelled', tool };
  const index = lines.findIndex((line) => line.itemId === itemId);
  if (index === -1) return [...lines, next];
  const copy = lines.slice();
  copy[index] = next;
  return copy;
}
