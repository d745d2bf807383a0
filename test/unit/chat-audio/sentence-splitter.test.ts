import { describe, expect, it } from 'vitest';
import { SentenceSplitter } from '../../../src/main/backends/chat-audio/sentence-splitter';

/** Feeds `pieces` one by one; returns what each push completed, then what end() gave. */
function feed(pieces: string[], minChars?: number): { perPush: string[][]; atEnd: string[] } {
  const splitter = new SentenceSplitter(minChars);
  const perPush = pieces.map((piece) => splitter.push(piece));
  return { perPush, atEnd: splitter.end() };
}

/** The sentences of `text` when it arrives all at once. */
function split(text: string, minChars?: number): string[] {
  const { perPush, atEnd } = feed([text], minChars);
  return [...perPush.flat(), ...atEnd];
}

/** The sentences when `text` arrives one character at a time: must match `split`. */
function splitByCharacter(text: string, minChars?: number): string[] {
  const { perPush, atEnd } = feed([...text], minChars);
  return [...perPush.flat(), ...atEnd];
}

describe('SentenceSplitter', () => {
  it('ends a sentence at . ! or ? followed by white space, and the last one at the end of the stream', () => {
    expect(split('It is sunny today. Will it rain? No, it will not! Enjoy the day')).toEqual([
      'It is sunny today.',
      ' Will it rain?',
      ' No, it will not!',
      ' Enjoy the day',
    ]);
  });

  it('completes a sentence as soon as the white space after it arrives, not a word later', () => {
    const { perPush, atEnd } = feed(['The answer ', 'is four.', ' ', 'Next ', 'comes five.']);
    expect(perPush).toEqual([[], [], ['The answer is four.'], [], []]);
    expect(atEnd).toEqual([' Next comes five.']);
  });

  it('waits at a full stop with nothing after it yet: it may be a decimal point', () => {
    const { perPush, atEnd } = feed(['It costs 3.', '5 euros.', ' Cheap.']);
    expect(perPush).toEqual([[], [], ['It costs 3.5 euros.']]);
    expect(atEnd).toEqual([' Cheap.']);
  });

  it('does not end at decimals, abbreviations, initials or dotted short forms', () => {
    expect(split('Pi is about 3.14 in value. Mr. Smith met Dr. Jones there. Use e.g. apples, i.e. fruit. J. R. R. Tolkien wrote it.')).toEqual([
      'Pi is about 3.14 in value.',
      ' Mr. Smith met Dr. Jones there.',
      ' Use e.g. apples, i.e. fruit.',
      ' J. R. R. Tolkien wrote it.',
    ]);
  });

  it('keeps closing quotes and brackets with the sentence they close', () => {
    expect(split('He said "Stop." Then he left (for good.) The end came.')).toEqual(['He said "Stop."', ' Then he left (for good.)', ' The end came.']);
  });

  it('treats a run of marks as one end', () => {
    expect(split('Really?! I did not know that... Tell me more.')).toEqual(['Really?!', ' I did not know that...', ' Tell me more.']);
  });

  it('ends Chinese sentences at 。！？ with or without a following space', () => {
    expect(split('今天天气很好。明天会下雨吗？ 不会下雨！我们去公园吧')).toEqual(['今天天气很好。', '明天会下雨吗？', ' 不会下雨！', '我们去公园吧']);
  });

  it('ends a Chinese sentence at once, without waiting for the next character', () => {
    const { perPush } = feed(['今天天气很好', '。']);
    expect(perPush).toEqual([[], ['今天天气很好。']]);
  });

  it('ends a sentence at a line break', () => {
    expect(split('Three options\n- the first one\n- the second one')).toEqual(['Three options\n', '- the first one\n', '- the second one']);
  });

  it('merges very short sentences with the next', () => {
    expect(split('Yes. That is right. OK. 好的。我明白了。')).toEqual(['Yes. That is right.', ' OK. 好的。', '我明白了。']);
    expect(split('Yes. No. Maybe so.')).toEqual(['Yes. No.', ' Maybe so.']);
  });

  it('gives the same sentences however the stream is chunked, and loses nothing but trailing white space', () => {
    const texts = [
      'It costs 3.5 dollars. Mr. Brown agrees! Does he? "Yes." Fine... Done',
      '你好。我很好！你呢？ 好的',
      'No end mark at all',
      'Trailing space after the end.  ',
    ];
    for (const text of texts) {
      expect(splitByCharacter(text)).toEqual(split(text));
      expect(split(text).join('')).toBe(text.trimEnd());
    }
  });

  it('gives nothing for an empty or blank stream', () => {
    expect(split('')).toEqual([]);
    expect(split('   \n ')).toEqual([]);
  });
});
