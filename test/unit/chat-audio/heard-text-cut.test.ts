import { describe, expect, it } from 'vitest';
import { cutAtWord } from '../../../src/shared/word-cut';

describe('cutAtWord (the heard share of a sentence)', () => {
  it('ends at the last whole word within the share, never inside one', () => {
    expect(cutAtWord(' Then it rains for a while.', 0.5)).toBe(' Then it');
    expect(cutAtWord(' Then it rains for a while.', 0.55)).toBe(' Then it rains');
    expect(cutAtWord('Hello world', 0.3)).toBe('');
    expect(cutAtWord('Hello world', 0.5)).toBe('Hello');
  });

  it('cuts Chinese at word boundaries, without spaces to go by', () => {
    expect(cutAtWord('今天天气很好。明天会下雨吗？', 0.5)).toBe('今天天气很好。');
    expect(cutAtWord('今天天气很好。明天会下雨吗？', 0.3)).toBe('今天天气');
    expect(cutAtWord('今天天气很好。明天会下雨吗？', 0.2)).toBe('今天');
  });

  it('keeps all of it at a share of 1 and none at 0', () => {
    expect(cutAtWord('All of it.', 1)).toBe('All of it.');
    expect(cutAtWord('All of it.', 0)).toBe('');
  });
});
