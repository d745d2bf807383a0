import type { ConversationItem } from 'openai/resources/realtime/realtime';
import type { ConversationLine } from '../../../shared/conversation';

/** How much of the conversation a fresh session gets, as text: enough to follow on, not a day's worth of tokens. */
const CARRY_OVER_ITEMS = 40;
const CARRY_OVER_CHARS = 4000;

/**
 * The conversation as text items for `conversation.item.create` on a fresh server session
 * (a renewal, a reconnect, a continued conversation). The server cannot take old audio back,
 * so each turn goes as its words; a turn without words is left out.
 */
export function carryOverItems(lines: readonly ConversationLine[]): ConversationItem[] {
  const spoken = lines.filter((line) => (line.role === 'user' || line.role === 'assistant') && line.text.trim() !== '');
  return spoken.slice(-CARRY_OVER_ITEMS).map((line) => {
    const text = line.text.trim().slice(0, CARRY_OVER_CHARS);
    return line.role === 'user'
      ? { type: 'message', role: 'user', content: [{ type: 'input_text', text }] }
      : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] };
  });
}
