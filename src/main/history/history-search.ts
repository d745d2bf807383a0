import { SHORT_QUERY_CHARACTERS, shortQuery } from './search-index';
import type { SqlStatement, SqlValue } from './sqlite-connection';

/** A piece of a snippet; `match` pieces are what the window highlights. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchMatch {
  conversationId: number;
  title: string;
  role: string;
  /** When the matching line's turn started. */
  at: number;
  /** The text around the match, with each match wrapped in ** for a terminal or Markdown. */
  snippet: string;
  /** The same snippet in pieces, for drawing highlights without parsing markers. */
  parts: SnippetPart[];
}

const CONTEXT_BEFORE = 24;
const CONTEXT_AFTER = 48;

/**
 * Substring search over every line, newest first, stopping at `limit`. Three or more
 * characters use the trigram index; one or two (a single Chinese word is often that short)
 * look up `lines_short`. Only a needle that lower-cases to more characters than it has
 * (rare letters like İ) is left to a LIKE scan. Lines the indexes don't hold yet (all newer
 * than those they do) come from `unindexed`, ahead of the indexes' matches. Ids are
 * collected first and lines read only for the `limit` shown.
 */
export function findMatches(
  prepare: (sql: string) => SqlStatement,
  query: string,
  limit: number,
  unindexed: (needle: string, limit: number) => number[],
): SearchMatch[] {
  const needle = query.trim();
  if (needle === '') return [];
  const indexed = indexedMatchIds(needle);
  const newest = indexed === null ? [] : unindexed(needle, limit);
  const { ids, params } = indexed ?? scannedMatchIds(needle);
  // Without unindexed matches (nearly always) the indexes' ids alone: the union costs a little on every search.
  const matched = newest.length === 0 ? { ids, params } : { ids: `SELECT value AS id FROM json_each(?) UNION ALL SELECT id FROM (${ids})`, params: [JSON.stringify(newest), ...params] };
  const rows = prepare(
    `SELECT l.conversation_id, l.role, l.text, l.at, c.title
     FROM (${matched.ids}) m JOIN lines l ON l.id = m.id JOIN conversations c ON c.id = l.conversation_id ORDER BY l.id DESC`,
  ).all([...matched.params, limit - newest.length]);
  return rows.map((row) => {
    const parts = snippetParts(String(row.text), needle);
    return {
      conversationId: Number(row.conversation_id),
      title: String(row.title ?? ''),
      role: String(row.role),
      at: Number(row.at),
      snippet: parts.map((part) => (part.match ? `**${part.text}**` : part.text)).join(''),
      parts,
    };
  });
}

/**
 * The newest ids of indexed lines holding `needle` (the limit is the query's last parameter),
 * from whichever index can answer it (both hold ids negated: see schema version 3), or null
 * when neither can.
 */
function indexedMatchIds(needle: string): { ids: string; params: SqlValue[] } | null {
  if ([...needle].length > SHORT_QUERY_CHARACTERS) {
    return { ids: 'SELECT -rowid AS id FROM lines_search WHERE lines_search MATCH ? ORDER BY rowid LIMIT ?', params: [`"${needle.replace(/"/g, '""')}"`] };
  }
  const short = shortQuery(needle);
  return short === null ? null : { ids: 'SELECT -rowid AS id FROM lines_short WHERE lines_short MATCH ? ORDER BY rowid LIMIT ?', params: [short] };
}

/** Every line, indexed or not, through LIKE. */
function scannedMatchIds(needle: string): { ids: string; params: SqlValue[] } {
  return {
    ids: `SELECT id FROM lines WHERE text LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?`,
    params: [`%${needle.replace(/[\\%_]/g, (character) => `\\${character}`)}%`],
  };
}

/** The text around the first match, with every match inside that window marked. */
export function snippetParts(text: string, needle: string): SnippetPart[] {
  const haystack = text.toLowerCase();
  const wanted = needle.toLowerCase();
  // Lower-casing can change a string's length in a few scripts; then offsets would not line up.
  const comparable = haystack.length === text.length && wanted.length === needle.length;
  const first = comparable ? haystack.indexOf(wanted) : -1;
  if (first === -1) return [{ text: clip(text, 0, CONTEXT_BEFORE + CONTEXT_AFTER), match: false }];
  const start = Math.max(0, first - CONTEXT_BEFORE);
  const end = Math.min(text.length, first + wanted.length + CONTEXT_AFTER);
  const parts: SnippetPart[] = [];
  let cursor = start;
  for (let at = first; at !== -1 && at + wanted.length <= end; at = haystack.indexOf(wanted, at + wanted.length)) {
    if (at > cursor) parts.push({ text: text.slice(cursor, at), match: false });
    parts.push({ text: text.slice(at, at + wanted.length), match: true });
    cursor = at + wanted.length;
  }
  if (cursor < end) parts.push({ text: text.slice(cursor, end), match: false });
  if (start > 0) parts.unshift({ text: '…', match: false });
  if (end < text.length) parts.push({ text: '…', match: false });
  return parts;
}

function clip(text: string, start: number, length: number): string {
  return text.length > start + length ? `${text.slice(start, start + length)}…` : text.slice(start);
}
