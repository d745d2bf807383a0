/**
 * English for the History panel and one opened conversation. Split from en.ts only to keep
 * both files short; zh-CN-history.ts must have the same keys (test/unit/i18n/resources.test.ts).
 * `lines_one`/`lines_other` are i18next plural forms, picked by `count`.
 */
export const enHistory = {
  title: 'History',
  close: 'Close history',
  closeTitle: 'Close (Esc)',
  keepOff: 'Keep history is off: nothing you say now is being kept.',
  openSettings: 'Open settings',
  dismiss: 'Dismiss',
  search: 'Search history',
  searchPlaceholder: 'Search what was said',
  list: 'Past conversations',
  results: 'Search results',
  empty: 'No conversations yet.',
  noMatches: 'Nothing said matches “{{query}}”.',
  untitled: 'Untitled conversation',
  lines_one: '{{when}} · {{count}} line',
  lines_other: '{{when}} · {{count}} lines',
  deleteAll: 'Delete all…',
  deleteAllQuestion: 'Delete all history?',
  deleteAllWarning: 'Delete every conversation? This cannot be undone.',
  deleteAllConfirm: 'Delete all',
  keep: 'Keep',
  conversation: {
    back: '← All conversations',
    copyAll: 'Copy all',
    copied: 'Copied the conversation.',
    copyFailed: 'Parley could not reach the clipboard; select the text and copy it instead.',
    exportMarkdown: 'Export Markdown',
    exportJson: 'Export JSON',
    saved: 'Saved to {{path}}',
    delete: 'Delete',
    continue: 'Continue',
  },
  /** Who said a stored line, in the copied transcript and beside lines drawn as plain text. */
  speaker: {
    user: 'You',
    assistant: 'Parley',
    tool: 'Tool',
    error: 'Error',
  },
  line: '{{speaker}}: {{text}}',
  /** Before a stored line the panel draws as plain text, in bold. */
  speakerLabel: '{{speaker}}:',
  /** The Markdown export, a transcript in the window's language; each line starts with `speakerLabel` in bold. */
  markdown: {
    untitled: 'Conversation',
    speaker: {
      user: 'You',
      assistant: 'Assistant',
      tool: 'Tool',
      error: 'Error',
    },
    incomplete: '*(incomplete)*',
    interrupted: '*(interrupted)*',
    spokenNoTranscript: '*(spoken, {{seconds}} s, no transcript)*',
  },
} as const;
