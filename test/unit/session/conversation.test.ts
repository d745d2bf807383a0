import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engine-events';
import { Conversation } from '../../../src/main/session/conversation';

function setUp() {
  const events: EngineEvent[] = [];
  const replies = new Conversation((event) => events.push(event));
  const last = () => events.at(-1);
  return { replies, events, last };
}

describe('Conversation: the replies', () => {
  it('publishes the whole text so far on every delta, and the final text once done', () => {
    const { replies, events, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'Hello' });
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: ' there' });
    expect(events.map((event) => (event.type === 'transcript' ? event.text : ''))).toEqual(['Hello', 'Hello there']);
    replies.apply({ type: 'assistant-text-done', itemId: 'a', text: 'Hello there.' });
    expect(last()).toEqual({ type: 'transcript', role: 'assistant', itemId: 'a', text: 'Hello there.', final: true });
  });

  it('cuts an interrupted reply at a word, in proportion to the audio heard', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'one two three four five six seven eight' });
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(24_000 * 4) }); // 4 s of audio for the whole line
    replies.markInterrupted({ itemId: 'a', audioEndMs: 2_000 });
    expect(last()).toMatchObject({ text: 'one two three four', final: true, interrupted: true });
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: ' nine' }); // deltas still in flight change nothing
    expect(last()).toMatchObject({ text: 'one two three four' });
  });

  it('counts each reply\'s audio received, in whole ms, until the conversation is replaced', () => {
    const { replies } = setUp();
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(2_400) });
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(2_425) }); // 201.04 ms in all
    replies.apply({ type: 'assistant-audio', itemId: 'b', pcm: new Int16Array(47) });
    expect(replies.audioMsReceived('a')).toBe(201);
    expect(replies.audioMsReceived('b')).toBe(1);
    expect(replies.audioMsReceived('never')).toBe(0);
    replies.replace();
    expect(replies.audioMsReceived('a')).toBe(0);
  });

  it('an interrupted reply whose audio had arrived but not played was not heard at all', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'Not heard.' });
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(4_800) });
    replies.markInterrupted(null);
    expect(last()).toMatchObject({ text: '', interrupted: true });
  });

  it('a text-only reply keeps its words when interrupted: it was read, not heard', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'Read on screen' });
    replies.markInterrupted(null);
    expect(last()).toMatchObject({ text: 'Read on screen', interrupted: true, final: true });
  });

  it('shows exactly what the backend says was heard, over the proportional cut', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'First sentence. Second sentence. Third one.' });
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(24_000) });
    replies.markInterrupted({ itemId: 'a', audioEndMs: 900 });
    replies.apply({ type: 'assistant-text-heard', itemId: 'a', text: 'First sentence. Second' });
    expect(last()).toMatchObject({ text: 'First sentence. Second', interrupted: true, final: true });
  });

  it('a cancelled response leaves its open lines final and interrupted', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'Half' });
    replies.apply({ type: 'response-done', status: 'cancelled' });
    expect(last()).toMatchObject({ text: 'Half', final: true, interrupted: true });
  });

  it('marks the newest reply cut off when the response ended at the server\'s length limit', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: 'The first half of a long' });
    replies.apply({ type: 'assistant-text-done', itemId: 'a', text: 'The first half of a long' });
    replies.apply({ type: 'response-done', status: 'incomplete' });
    expect(last()).toEqual({ type: 'transcript', role: 'assistant', itemId: 'a', text: 'The first half of a long', final: true, cutOff: true });
  });

  it('cuts Chinese at a word too, not mid-word', () => {
    const { replies, last } = setUp();
    replies.apply({ type: 'assistant-text', itemId: 'a', delta: '今天天气很好。明天会下雨吗？' });
    replies.apply({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(24_000) });
    replies.markInterrupted({ itemId: 'a', audioEndMs: 300 });
    expect(last()).toMatchObject({ text: '今天天气', interrupted: true });
  });
});

describe('Conversation: the whole of it', () => {
  it('keeps each question above its answer, whenever its words arrive, and publishes them', () => {
    const { replies: conversation, events } = setUp();
    conversation.apply({ type: 'user-turn', itemId: 'u', clipMs: 900 });
    conversation.apply({ type: 'assistant-text', itemId: 'a', delta: 'Sunny.' });
    conversation.apply({ type: 'user-transcript', itemId: 'u', delta: 'Weather' });
    conversation.apply({ type: 'user-transcript-done', itemId: 'u', text: 'Weather today?' });
    expect(conversation.lines.map((line) => [line.role, line.text])).toEqual([
      ['user', 'Weather today?'],
      ['assistant', 'Sunny.'],
    ]);
    expect(events.filter((event) => event.type === 'transcript' && event.role === 'user')).toEqual([
      { type: 'transcript', role: 'user', itemId: 'u', text: '', final: false, clipMs: 900 },
      { type: 'transcript', role: 'user', itemId: 'u', text: 'Weather', final: false },
      { type: 'transcript', role: 'user', itemId: 'u', text: 'Weather today?', final: true },
    ]);
  });

  it('holds tool calls as lines, in the place each call first appeared', () => {
    const { replies: conversation, events } = setUp();
    conversation.apply({ type: 'user-turn', itemId: 'u', clipMs: 500 });
    const call = { type: 'tool', callId: 'c1', name: 'get_current_time', server: '', arguments: {} } as const;
    conversation.applyTool({ ...call, status: 'running' });
    conversation.apply({ type: 'assistant-text', itemId: 'a', delta: 'It is noon.' });
    conversation.applyTool({ ...call, status: 'done', result: '12:00' });
    expect(conversation.lines.map((line) => [line.itemId, line.final])).toEqual([
      ['u', false],
      ['tool:c1', true],
      ['a', false],
    ]);
    expect(conversation.lines[1]).toMatchObject({ role: 'tool', text: '12:00', tool: { name: 'get_current_time', status: 'done' } });
    // The engine reports tool events itself: the conversation publishes only words.
    expect(events.every((event) => event.type === 'transcript')).toBe(true);
  });

  it('starts again from a continued conversation without announcing it, and goes on after it', () => {
    const { replies: conversation, events } = setUp();
    conversation.apply({ type: 'assistant-text', itemId: 'old', delta: 'Gone.' });
    const continued = [
      { itemId: 'history:3:u', role: 'user' as const, text: 'Where is Lyon?', final: true, interrupted: false },
      { itemId: 'history:3:a', role: 'assistant' as const, text: 'In France.', final: true, interrupted: false },
    ];
    const before = events.length;
    conversation.replace(continued);
    expect(events).toHaveLength(before);
    conversation.apply({ type: 'user-turn', itemId: 'u2', clipMs: 700 });
    expect(conversation.lines.map((line) => line.itemId)).toEqual(['history:3:u', 'history:3:a', 'u2']);
    conversation.replace();
    expect(conversation.lines).toEqual([]);
  });

  it('hands out snapshots that later changes do not touch', () => {
    const { replies: conversation } = setUp();
    conversation.apply({ type: 'assistant-text', itemId: 'a', delta: 'One' });
    const snapshot = conversation.lines;
    conversation.apply({ type: 'assistant-text', itemId: 'a', delta: ' two' });
    expect(snapshot[0]?.text).toBe('One');
    expect(conversation.lines[0]?.text).toBe('One two');
  });

  it('keeps the newest 1000 lines over a long day', () => {
    const { replies: conversation } = setUp();
    for (let i = 0; i < 1005; i += 1) conversation.apply({ type: 'user-turn', itemId: `u${i}`, clipMs: 100 });
    const ids = conversation.lines.map((line) => line.itemId);
    expect(ids).toHaveLength(1000);
    expect(ids[0]).toBe('u5');
    expect(ids.at(-1)).toBe('u1004');
  });
});
