/**
 * The conversation history as the window sees it. The main process's ConversationStore
 * returns exactly these shapes; they are declared here because the renderer may not import
 * anything from src/main.
 */

export type HistoryLineRole = 'user' | 'assistant' | 'tool' | 'error';
export type HistoryLineStatus = 'streaming' | 'final' | 'incomplete' | 'interrupted';

export interface HistorySummary {
  id: number;
  title: string;
  startedAt: number;
  lineCount: number;
}

export interface HistoryLine {
  key: string;
  role: HistoryLineRole;
  text: string;
  status: HistoryLineStatus;
  at: number;
  detail?: Record<string, unknown>;
}

export interface HistoryConversation {
  id: number;
  title: string;
  startedAt: number;
  lines: HistoryLine[];
}

/** One search hit; `parts` marks the matched text so the window can highlight it without HTML. */
export interface HistorySearchMatch {
  conversationId: number;
  title: string;
  role: string;
  at: number;
  snippet: string;
  parts: Array<{ text: string; match: boolean }>;
}

/** What the History panel lists, and whether new conversations are being kept at all. */
export interface HistoryListing {
  conversations: HistorySummary[];
  keepHistory: boolean;
}

export const HISTORY_EXPORT_FORMATS = ['md', 'json'] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

/** `path` is null when the user cancelled the save dialog. */
export interface HistoryExportResult {
  path: string | null;
}
