import type { HistoryConversation, HistoryLine } from '../shared/history';
import type { Translate } from './settings-draft';

/** Who said a stored line ("You", "Parley", …) in the window's language. */
export function speakerOf(line: HistoryLine, t: Translate): string {
  return t(`history.speaker.${line.role}`);
}

/** The whole conversation as plain text, for the clipboard, its speakers named in the window's language. */
export function transcriptText(conversation: HistoryConversation, t: Translate): string {
  return conversation.lines
    .filter((line) => line.text.trim() !== '')
    .map((line) => t('history.line', { speaker: speakerOf(line, t), text: line.text }))
    .join('\n\n');
}

/**
 * "Nov 27, 2026, 5:21 PM" or "2026年11月27日 17:21": the date in the window's language, not
 * the OS's. The OS locale still picks the regional form when it is one of that language
 * (en-GB for English gives "27 Nov 2026, 17:21").
 */
export function formatWhen(ms: number, language: string, osLocale: string = navigator.language): string {
  const regional = osLocale.toLowerCase() === language.toLowerCase() || (language === 'en' && /^en(-|$)/i.test(osLocale));
  return new Date(ms).toLocaleString(regional ? osLocale : language, { dateStyle: 'medium', timeStyle: 'short' });
}
