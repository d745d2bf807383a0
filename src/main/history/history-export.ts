import { writeFile } from 'node:fs/promises';
import type { Conversation, LineRole, StoredLine } from './conversation-store';
import { HistoryError } from './history-error';
import type { TFunction } from 'i18next';
import type { Language } from '../../shared/i18n/languages';
import { historyWords } from './history-words';

export type ExportFormat = 'md' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'json'];

/** A line as exported: a line still streaming when read was cut off, so it exports as incomplete. */
export interface ExportedLine {
  role: LineRole;
  text: string;
  at: string;
  status: 'final' | 'incomplete' | 'interrupted';
  [detail: string]: unknown;
}

export interface ExportedConversation {
  id: number;
  title: string;
  startedAt: string;
  lines: ExportedLine[];
}

export function toExportedConversation(conversation: Conversation): ExportedConversation {
  return {
    id: conversation.id,
    title: conversation.title,
    startedAt: new Date(conversation.startedAt).toISOString(),
    lines: conversation.lines.map((line) => ({
      // Detail first, so it can never override the documented fields.
      ...(line.detail ?? {}),
      role: line.role,
      text: line.text,
      at: new Date(line.at).toISOString(),
      status: line.status === 'streaming' ? 'incomplete' : line.status,
    })),
  };
}

export function conversationToJson(conversation: Conversation): string {
  return `${JSON.stringify(toExportedConversation(conversation), null, 2)}\n`;
}

/** A transcript a person reads, in `language`: who said what, in order, with cut-off lines marked. */
export function conversationToMarkdown(conversation: Conversation, language: Language = 'en'): string {
  const t = historyWords(language);
  const exported = toExportedConversation(conversation);
  const heading = `# ${exported.title || t('history.markdown.untitled')}\n\n*${exported.startedAt}*\n`;
  const body = conversation.lines.map((line, index) => {
    const status = exported.lines[index]!.status;
    const marker = status === 'final' ? '' : ` ${t(`history.markdown.${status}`)}`;
    return `**${t('history.speakerLabel', { speaker: t(`history.markdown.speaker.${line.role}`) })}** ${describe(line, t)}${marker}\n`;
  });
  return `${[heading, ...body].join('\n')}\n`;
}

function describe(line: StoredLine, t: TFunction): string {
  const detail = line.detail ?? {};
  if (line.role === 'tool') {
    const outcome = typeof detail.toolStatus === 'string' ? ` — ${detail.toolStatus}` : '';
    const result = detail.result === undefined ? '' : `\n\n\`\`\`\n${stringify(detail.result)}\n\`\`\``;
    return `\`${line.text}\`${outcome}${result}`;
  }
  if (line.text.trim() === '' && typeof detail.clipMs === 'number') return t('history.markdown.spokenNoTranscript', { seconds: (detail.clipMs / 1000).toFixed(1) });
  return line.text;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** JSON is for programs and stays as it is; Markdown is written in `language`. */
export function formatConversation(conversation: Conversation, format: ExportFormat, language: Language = 'en'): string {
  return format === 'json' ? conversationToJson(conversation) : conversationToMarkdown(conversation, language);
}

/** Writes an export; a path that can't be written becomes a sentence naming it and why. */
export async function writeExport(path: string, contents: string): Promise<void> {
  try {
    await writeFile(path, contents, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'noFolder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'notAllowed'
          : code === 'EISDIR'
            ? 'isFolder'
            : code === 'ENOSPC'
              ? 'full'
              : 'failed';
    throw new HistoryError('export', { key: `errors.history.export.${reason}`, params: { path, ...(reason === 'failed' ? { detail: (error as Error).message } : {}) } }, { cause: error });
  }
}
