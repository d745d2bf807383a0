import { inWriteTransaction, type SqlConnection, type SqlStatement } from './sqlite-connection';

/** Bounds on the merge work done after a reply: 32 pages took about 5 ms here, 1000 about 150 ms. */
const MIN_MERGE_PAGES = 32;
const MAX_MERGE_PAGES = 1000;

export interface SearchIndexDeps {
  db: SqlConnection;
  /** The store's cache of prepared statements. */
  sql: (text: string) => SqlStatement;
  /** node-sqlite3-wasm can't reuse a statement whose last step failed: the cache is dropped after a failure. */
  forgetStatements: () => void;
}

/**
 * Lines indexed in one go before a search, after a reply or per background step: 0.2–0.3 ms
 * each here (merging included), so a step takes about 50 ms. A search or reply rarely has
 * more waiting than the current conversation; a backlog (the whole history after an upgrade,
 * or a start that quit mid-way through one) is indexed in steps by the warm-up, and a search
 * meanwhile scans the lines not indexed yet (see unindexedMatches).
 */
export const LINES_PER_INDEX_STEP = 200;

/** Lines read per query when scanning the ones not indexed yet. */
const SCAN_CHUNK_LINES = 2000;

/**
 * Keeps the two full-text indexes (`lines_search`: trigrams, `lines_short`: characters and
 * character pairs) in step with the stored lines, after the fact rather than inside each
 * write: storing a line then touches no FTS5 segment, and a streaming line rewritten every
 * second is indexed once, when it is searched for or the reply is over. The store calls
 * maintain() before every search and after a reply (flushToDisk), each bounded to one step,
 * and a search scans whatever is still waiting, so results are never behind.
 */
export class SearchIndex {
  /**
   * Whether stored lines are waiting to be indexed. Read from the file at open, then kept
   * here, so a search costs no extra read: another process writing the same file (a second
   * Parley) indexes its own lines after its replies, or this one does at its next catch-up.
   */
  #behind = true;
  /** Lines indexed since segments were last merged. */
  #untidyLines = 0;

  constructor(private readonly deps: SearchIndexDeps) {}

  private sql(text: string): SqlStatement {
    return this.deps.sql(text);
  }

  /** A line was stored or changed. */
  noteWrite(): void {
    this.#behind = true;
  }

  checkBehind(): void {
    this.#behind = this.isBehind();
  }

  /**
   * Indexes what is waiting, up to `lines` new lines (with `backlog: 'leave'`, none when more
   * than that wait: a search leaves a backlog to the background steps and scans it, rather
   * than pay for a step that barely shortens the scan), and with `tidy` merges segments too,
   * in one transaction. A failure (read-only file, full disk, a lock held too long) leaves
   * the index behind but is no reason to fail the search or flush that asked: the lines
   * themselves are stored, a search scans what isn't indexed, and the next call tries again.
   * Returns whether another step would index more (false after a failure too: retrying at
   * once would fail again).
   */
  maintain({ tidy, lines, backlog }: { tidy: boolean; lines: number; backlog: 'step' | 'leave' }): boolean {
    const merge = tidy && (this.#behind || this.#untidyLines > 0);
    if (!this.#behind && !merge) return false;
    const { db } = this.deps;
    try {
      const caughtUp = inWriteTransaction(db, () => {
        const step = this.#behind ? this.catchUp(lines, backlog) : { indexed: 0, done: true };
        this.#untidyLines += step.indexed;
        // About a page of merging per line indexed keeps pace with the segments catch-ups add.
        if (merge) this.tidy(Math.min(MAX_MERGE_PAGES, Math.max(MIN_MERGE_PAGES, this.#untidyLines)));
        return step.done;
      });
      this.#behind = !caughtUp;
      if (merge) this.#untidyLines = 0;
      return this.#behind;
    } catch {
      this.deps.forgetStatements();
      return false;
    }
  }

  /** One cheap read: are stored lines waiting to be indexed? */
  isBehind(): boolean {
    const row = this.sql(
      `SELECT coalesce((SELECT max(id) FROM lines), 0) > indexed_upto OR EXISTS (SELECT 1 FROM search_stale) AS behind FROM search_progress`,
    ).get();
    return Number(row?.behind ?? 0) === 1;
  }

  /**
   * Indexes again every line whose text changed since it was indexed, and up to `limit`
   * lines not indexed yet, oldest first (so `indexed_upto` still marks where the indexed
   * lines end). Call it inside a transaction that is rolled back if it throws: a contentless
   * index takes a row it already holds twice, so half a catch-up must not stay. With
   * `backlog: 'leave'`, new lines are indexed only if no more than `limit` wait. `done` is
   * false when lines are left waiting.
   */
  catchUp(limit: number = Number.MAX_SAFE_INTEGER - 1, backlog: 'step' | 'leave' = 'step'): { indexed: number; done: boolean } {
    const stale = this.sql('SELECT id, text FROM lines WHERE id IN (SELECT line_id FROM search_stale)').all();
    for (const row of stale) {
      this.sql('DELETE FROM lines_search WHERE rowid = -?').run([row.id!]);
      this.sql('DELETE FROM lines_short WHERE rowid = -?').run([row.id!]);
    }
    const waiting = this.sql('SELECT id, text FROM lines WHERE id > (SELECT indexed_upto FROM search_progress) ORDER BY id LIMIT ?').all([limit + 1]);
    const done = waiting.length <= limit;
    const fresh = done ? waiting : backlog === 'step' ? waiting.slice(0, limit) : [];
    // Ids negated, newest first in the index's own order (see schema version 3).
    const trigrams = this.sql('INSERT INTO lines_search (rowid, text) VALUES (-?, ?)');
    const grams = this.sql('INSERT INTO lines_short (rowid, grams) VALUES (-?, ?)');
    for (const row of [...stale, ...fresh]) {
      trigrams.run([row.id!, row.text!]);
      grams.run([row.id!, shortGrams(String(row.text))]);
    }
    this.sql('DELETE FROM search_stale').run();
    if (fresh.length > 0) this.sql('UPDATE search_progress SET indexed_upto = ?').run([Number(fresh.at(-1)!.id)]);
    return { indexed: stale.length + fresh.length, done };
  }

  /**
   * Ids of the lines not indexed yet (all newer than every indexed one) whose text holds
   * `needle`, ignoring case as the snippets do, newest first, at most `limit`. Normally
   * there are none; after an upgrade, until the background steps are done, this scan is
   * what keeps a search from missing old conversations. Caught up, it reads nothing.
   */
  unindexedMatches(needle: string, limit: number): number[] {
    const found: number[] = [];
    if (!this.#behind) return found;
    const wanted = needle.toLowerCase();
    const chunk = this.sql(
      'SELECT id, text FROM lines WHERE id > (SELECT indexed_upto FROM search_progress) AND id < ? ORDER BY id DESC LIMIT ?',
    );
    for (let before = Number.MAX_SAFE_INTEGER; found.length < limit; ) {
      const rows = chunk.all([before, SCAN_CHUNK_LINES]);
      for (const row of rows) if (found.length < limit && String(row.text).toLowerCase().includes(wanted)) found.push(Number(row.id));
      if (rows.length < SCAN_CHUNK_LINES) break;
      before = Number(rows.at(-1)!.id);
    }
    return found;
  }

  /**
   * Merges index segments, up to about `pages` pages of work per index: every catch-up adds a
   * segment, and a search reads each one. Automatic merging is off (it ran inside catch-ups,
   * so inside searches); this runs after a reply instead, and SQLite still merges by itself
   * if a level ever piles up to 16 segments.
   */
  tidy(pages: number): void {
    this.sql(`INSERT INTO lines_search (lines_search, rank) VALUES ('merge', ?)`).run([pages]);
    this.sql(`INSERT INTO lines_short (lines_short, rank) VALUES ('merge', ?)`).run([pages]);
  }

  /** Empties both indexes at once (deleting every line one by one would drop each from them). */
  clear(): void {
    this.sql(`INSERT INTO lines_search (lines_search) VALUES ('delete-all')`).run();
    this.sql(`INSERT INTO lines_short (lines_short) VALUES ('delete-all')`).run();
    this.sql('DELETE FROM search_stale').run();
    // Nothing is indexed now, so deleting the lines afterwards fires no index triggers.
    this.sql('UPDATE search_progress SET indexed_upto = 0').run();
  }
}

/** How many characters `lines_short` answers for; longer queries use the trigrams. */
export const SHORT_QUERY_CHARACTERS = 2;

/** A trimmed query never starts or ends with a space, so no indexed pair needs one. */
const SPACE = /\s/u;

/**
 * Lower case, one character at a time: lowering a whole string depends on context (a Greek
 * sigma at a word's end), and a one-character query has none.
 */
function foldedCharacters(text: string): string[] {
  const characters: string[] = [];
  for (const character of text) for (const lower of character.toLowerCase()) characters.push(lower);
  return characters;
}

/**
 * A character as an FTS5 token: its code point in four base-36 digits. The `ascii` tokenizer
 * then sees only letters and digits, so it never splits, drops or folds a character of any
 * script (punctuation and emoji included), and a pair is simply two tokens run together.
 */
function token(character: string): string {
  return character.codePointAt(0)!.toString(36).padStart(4, '0');
}

/** What `lines_short` holds for a line: each distinct character and pair of adjacent characters, spaces left out. */
export function shortGrams(text: string): string {
  const characters = foldedCharacters(text);
  const grams = new Set<string>();
  for (let at = 0; at < characters.length; at++) {
    const character = characters[at]!;
    if (SPACE.test(character)) continue;
    const first = token(character);
    grams.add(first);
    const next = characters[at + 1];
    if (next !== undefined && !SPACE.test(next)) grams.add(first + token(next));
  }
  return [...grams].join(' ');
}

/**
 * The `lines_short` MATCH expression for a query of one or two characters, or null when it
 * is longer (or lower-casing made it so: then the caller scans).
 */
export function shortQuery(needle: string): string | null {
  const characters = foldedCharacters(needle);
  if (characters.length === 0 || characters.length > SHORT_QUERY_CHARACTERS || characters.some((character) => SPACE.test(character))) return null;
  return `"${characters.map(token).join('')}"`;
}
