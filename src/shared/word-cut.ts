/** Word boundaries for every script: spaces for English, dictionary words for Chinese. */
const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });

/** The first `share` of `text`, ending at the last word boundary within it: never half a word. */
export function cutAtWord(text: string, share: number): string {
  if (share >= 1) return text;
  const limit = Math.floor(text.length * Math.max(0, share));
  let end = 0;
  for (const { index, segment } of WORDS.segment(text)) {
    if (index + segment.length > limit) break;
    end = index + segment.length;
  }
  return text.slice(0, end).trimEnd();
}
