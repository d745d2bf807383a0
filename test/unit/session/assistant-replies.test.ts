import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engine-events';
import { AssistantReplies, cutAtWord } from '../../../src/main/session/assistant-replies';

function setUp() {
  const events: EngineEvent[] = [];
  const replies = new AssistantReplies((event) => events.push(event));
  const last = () => events.at(-1);
  return { replies, events, last };
}

describe('AssistantReplies', () => {
  it('publishes the whole text so far on every delta, and the final text once done', () => {
    const { replies, events, last } = setUp();
    replies.appendText('a', 'Hello');
    replies.appendText('a', ' there');
    expect(events.map((event) => (event.type === 'transcript' ? event.text : ''))).toEqual(['Hello', 'Hello there']);
    replies.finishText('a', 'Hello there.');
    expect(last()).toEqual({ type: 'transcript', role: 'assistant', itemId: 'a', text: 'Hello there.', final: true });
  });

  it('cuts an interrupted reply at a word, in proportion to the audio heard', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'one two three four five six seven eight');
    replies.noteAudio('a', 24_000 * 4); // 4 s of audio for the whole line
    replies.markInterrupted({ itemId: 'a', audioEndMs: 2_000 });
    expect(last()).toMatchObject({ text: 'one two three four', final: true, interrupted: true });
    replies.appendText('a', ' nine'); // deltas still in flight change nothing
    expect(last()).toMatchObject({ text: 'one two three four' });
  });

  it('an interrupted reply whose audio had arrived but not played was not heard at all', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'Not heard.');
    replies.noteAudio('a', 4_800);
    replies.markInterrupted(null);
    expect(last()).toMatchObject({ text: '', interrupted: true });
  });

  it('a text-only reply keeps its words when interrupted: it was read, not heard', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'Read on screen');
    replies.markInterrupted(null);
    expect(last()).toMatchObject({ text: 'Read on screen', interrupted: true, final: true });
  });

  it('shows exactly what the backend says was heard, over the proportional cut', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'First sentence. Second sentence. Third one.');
    replies.noteAudio('a', 24_000);
    replies.markInterrupted({ itemId: 'a', audioEndMs: 900 });
    replies.showHeard('a', 'First sentence. Second');
    expect(last()).toMatchObject({ text: 'First sentence. Second', interrupted: true, final: true });
  });

  it('a cancelled response leaves its open lines final and interrupted', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'Half');
    replies.finishResponse('cancelled');
    expect(last()).toMatchObject({ text: 'Half', final: true, interrupted: true });
  });

  it('marks the newest reply cut off when the response ended at the server\'s length limit', () => {
    const { replies, last } = setUp();
    replies.appendText('a', 'The first half of a long');
    replies.finishText('a', 'The first half of a long');
    replies.finishResponse('incomplete');
    expect(last()).toEqual({ type: 'transcript', role: 'assistant', itemId: 'a', text: 'The first half of a long', final: true, cutOff: true });
  });

  it('cutAtWord never splits a word', () => {
    expect(cutAtWord('alpha beta gamma', 0.5)).toBe('alpha');
    expect(cutAtWord('alpha beta gamma', 1)).toBe('alpha beta gamma');
  });
});
