/**
 * Whole sentences out of streamed text, so a reply can be spoken while it is still being
 * written. Written by hand rather than with `Intl.Segmenter` (granularity "sentence"): ICU as
 * Node ships it breaks after "Mr." and "Dr." (its abbreviation list is not reachable from JS),
 * and it only decides a boundary once the next word's first letter is known ("one. two" is one
 * sentence to it), so a sentence would wait a token longer and the split would depend on how
 * the stream happened to be chunked.
 *
 * The rules:
 * - `.`, `!`, `?` or `…` (a run of them, then any closing quotes or brackets) end a sentence
 *   when white space follows; "3.5" and "e.g.x" do not, since no space follows;
 * - a `.` after a known abbreviation ("Mr.", "e.g."), an initial ("J.") is not an end;
 * - `。`, `！`, `？` end a sentence whether or not a space follows;
 * - a line break ends one too (lists and paragraphs often carry no full stop);
 * - a sentence shorter than `minChars` ("Yes.", "好的。") is merged with the next;
 * - at the end of the stream, whatever is left is the last sentence.
 *
 * Every piece of text lands in exactly one sentence: joined, they give the input back, less any
 * white space at the very end.
 */
export class SentenceSplitter {
  private pending = '';

  constructor(private readonly minChars = DEFAULT_MIN_SENTENCE_CHARS) {}

  /** Adds streamed text; returns the sentences it completed, in order. */
  push(delta: string): string[] {
    this.pending += delta;
    const sentences: string[] = [];
    for (;;) {
      const end = this.findEnd();
      if (end === null) return sentences;
      sentences.push(this.pending.slice(0, end));
      this.pending = this.pending.slice(end);
    }
  }

  /** The stream ended: the rest, if it holds more than white space, is the last sentence. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.trim() ? [rest] : [];
  }

  /** Where the first sentence long enough to stand alone ends in `pending`, or null if none has yet. */
  private findEnd(): number | null {
    const text = this.pending;
    let from = 0;
    for (;;) {
      const end = nextBoundary(text, from);
      if (end === null) return null;
      if (visibleLength(text.slice(0, end)) >= this.minChars) return end;
      from = end;
    }
  }
}

/** "Yes." and "OK!" are not worth a speech request of their own. */
const DEFAULT_MIN_SENTENCE_CHARS = 5;

const LATIN_ENDS = new Set(['.', '!', '?', '…']);
const CJK_ENDS = new Set(['。', '！', '？', '｡']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»', '」', '』', '）', '】']);
/** Lower-case, without the final dot; matched against the word before a single `.`. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'cf', 'approx', 'fig']);

/** The end (exclusive) of the first sentence boundary at or after `from`, or null when none is certain yet. */
function nextBoundary(text: string, from: number): number | null {
  for (let i = from; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '\n') {
      if (text.slice(0, i).trim()) return i + 1;
      continue;
    }
    if (CJK_ENDS.has(char)) return skipWhile(text, skipWhile(text, i + 1, CJK_ENDS), CLOSERS);
    if (!LATIN_ENDS.has(char)) continue;
    const runEnd = skipWhile(text, i + 1, LATIN_ENDS);
    const end = skipWhile(text, runEnd, CLOSERS);
    // Undecided until the next character arrives: "3." may become "3.5".
    if (end >= text.length) return null;
    if (/\s/.test(text[end]!) && !(char === '.' && runEnd === i + 1 && isAbbreviation(text, i))) return end;
    i = end - 1;
  }
  return null;
}

function skipWhile(text: string, from: number, set: Set<string>): number {
  let i = from;
  while (i < text.length && set.has(text[i]!)) i += 1;
  return i;
}

/** Whether the word ending at the `.` at `dot` is an abbreviation or an initial, not a sentence's last word. */
function isAbbreviation(text: string, dot: number): boolean {
  const wordStart = Math.max(text.lastIndexOf(' ', dot), text.lastIndexOf('\n', dot), text.lastIndexOf('\t', dot)) + 1;
  const word = text.slice(wordStart, dot).replace(/^[("'“‘[]+/, '');
  if (/^\p{L}$/u.test(word)) return true; // an initial: "J. R. R. Tolkien"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true; // "e.g", "i.e", "U.S"
  return ABBREVIATIONS.has(word.toLowerCase());
}

function visibleLength(text: string): number {
  return text.replace(/\s+/g, '').length;
}
