import type { ConversationLine } from '../shared/conversation';
import type { HistoryConversation, HistoryLine } from '../shared/history';

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

const SPEAKER: Record<HistoryLine['role'], string> = { user: 'You', assistant: 'Parley', tool: 'Tool', error: 'Error' };

/** The whole conversation as plain text, for the clipboard. */
export function transcriptText(conversation: HistoryConversation): string {
  return conversation.lines
    .filter((line) => line.text.trim() !== '')
    .map((line) => `${SPEAKER[line.role]}: ${line.text}`)
    .join('\n\n');
}

export function speakerOf(line: HistoryLine): string {
  return SPEAKER[line.role];
}

/** "27 Nov 2026, 17:21" in the user's own locale. */
export function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
