import type { HistoryConversation, HistoryLine } from '../shared/history';

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
