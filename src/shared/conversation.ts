import type { Role, ToolEvent, TranscriptEvent } from './engine-events';
import type { HistoryConversation, HistoryLine } from './history';

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

/**
 * A stored line as the conversation view draws it. Item ids get a `history:` prefix so they
 * can never collide with the ids of new turns that follow a continued conversation.
 */
export function toConversationLine(conversationId: number, line: HistoryLine): ConversationLine | null {
  const itemId = `history:${conversationId}:${line.key}`;
  const interrupted = line.status === 'interrupted';
  // A line that was still streaming when Parley stopped is cut off; it will never grow again.
  const cutOff = line.status === 'incomplete' || line.status === 'streaming';
  if (line.role === 'user' || line.role === 'assistant') {
    const clipMs = typeof line.detail?.clipMs === 'number' ? line.detail.clipMs : undefined;
    return { itemId, role: line.role, text: line.text, final: true, interrupted, ...(cutOff ? { cutOff } : {}), ...(clipMs !== undefined ? { clipMs } : {}) };
  }
  if (line.role === 'tool' && typeof line.detail?.name === 'string') {
    const detail = line.detail;
    const status = typeof detail.toolStatus === 'string' ? detail.toolStatus : 'done';
    return {
      itemId,
      role: 'tool',
      text: typeof detail.result === 'string' ? detail.result : '',
      final: true,
      interrupted: status === 'cancelled',
      tool: {
        name: String(detail.name),
        server: typeof detail.server === 'string' ? detail.server : '',
        status: (['running', 'done', 'failed', 'denied', 'cancelled'].includes(status) ? status : 'done') as NonNullable<ConversationLine['tool']>['status'],
        arguments: (detail.arguments ?? {}) as Record<string, unknown> | string,
        ...(typeof detail.result === 'string' ? { result: detail.result } : {}),
      },
    };
  }
  return null;
}

/** The lines the main view shows for a continued conversation: its words and tool calls, not old errors. */
export function continuedLines(conversation: HistoryConversation): ConversationLine[] {
  return conversation.lines.flatMap((line) => toConversationLine(conversation.id, line) ?? []);
}
