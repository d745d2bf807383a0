import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TranscriptEvent } from '../../../src/shared/engine-events';
import { applyTranscript, type ConversationLine } from '../../../src/shared/conversation';
import { EngineEventBatcher, type WindowEvent } from '../../../src/main/ipc/engine-event-batcher';

function transcript(itemId: string, role: 'user' | 'assistant', text: string, final = false): TranscriptEvent {
  return { type: 'transcript', itemId, role, text, final };
}

let batches: WindowEvent[][];
let batcher: EngineEventBatcher;

beforeEach(() => {
  vi.useFakeTimers();
  batches = [];
  batcher = new EngineEventBatcher({ flush: (batch) => batches.push(batch) });
});
afterEach(() => {
  batcher.dispose();
  vi.useRealTimers();
});

describe('EngineEventBatcher', () => {
  it('delivers a lone event on the next tick', () => {
    batcher.push({ type: 'state', state: 'listening' });
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([[{ type: 'state', state: 'listening' }]]);
  });

  it('keeps only the latest text for the same item and role, in its first place', () => {
    batcher.push(transcript('u1', 'user', 'hel'));
    batcher.push(transcript('a1', 'assistant', 'Hi'));
    batcher.push(transcript('u1', 'user', 'hello'));
    batcher.push(transcript('a1', 'assistant', 'Hi there'));
    batcher.push(transcript('u1', 'user', 'hello you', true));
    vi.runAllTimers();
    expect(batches).toEqual([[transcript('u1', 'user', 'hello you', true), transcript('a1', 'assistant', 'Hi there')]]);
  });

  it('never drops or reorders state and error events, and does not coalesce across them', () => {
    batcher.push(transcript('a1', 'assistant', 'One'));
    batcher.push({ type: 'state', state: 'speaking' });
    batcher.push(transcript('a1', 'assistant', 'One two'));
    batcher.push({ type: 'error', code: 'stream-broken', message: 'The connection dropped. Parley is reconnecting.' });
    batcher.push({ type: 'state', state: 'idle' });
    batcher.push({ type: 'state', state: 'idle' });
    batcher.push(transcript('a1', 'assistant', 'One two three', true));
    vi.runAllTimers();
    expect(batches.flat()).toEqual([
      transcript('a1', 'assistant', 'One'),
      { type: 'state', state: 'speaking' },
      transcript('a1', 'assistant', 'One two'),
      { type: 'error', code: 'stream-broken', message: 'The connection dropped. Parley is reconnecting.' },
      { type: 'state', state: 'idle' },
      { type: 'state', state: 'idle' },
      transcript('a1', 'assistant', 'One two three', true),
    ]);
  });

  it('keeps app events in order with engine events', () => {
    batcher.push(transcript('a1', 'assistant', 'old'));
    batcher.push({ type: 'conversation-cleared' });
    batcher.push(transcript('a1', 'assistant', 'old but later'));
    vi.runAllTimers();
    expect(batches.flat().map((event) => event.type)).toEqual(['transcript', 'conversation-cleared', 'transcript']);
  });

  it('coalesces level events to the latest', () => {
    for (let i = 1; i <= 10; i++) batcher.push({ type: 'level', level: i / 10 });
    batcher.push(transcript('u1', 'user', 'hi'));
    batcher.push({ type: 'level', level: 0.05 });
    vi.runAllTimers();
    expect(batches).toEqual([[{ type: 'level', level: 0.05 }, transcript('u1', 'user', 'hi')]]);
  });

  it('flushes at most 30 times in any second under a flood of updates', () => {
    const flushTimes: number[] = [];
    batcher = new EngineEventBatcher({
      flush: (batch) => {
        flushTimes.push(Date.now());
        batches.push(batch);
      },
    });
    let text = '';
    for (let ms = 0; ms < 3000; ms++) {
      text += 'x';
      batcher.push(transcript('a1', 'assistant', text));
      if (ms % 5 === 0) batcher.push({ type: 'level', level: (ms % 100) / 100 });
      vi.advanceTimersByTime(1);
    }
    vi.runAllTimers();
    const busiestSecond = Math.max(...flushTimes.map((start) => flushTimes.filter((time) => time >= start && time < start + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(30);
    expect(busiestSecond).toBeGreaterThan(20);
    // Nothing is lost: the last batch carries the whole text.
    const lines = batches
      .flat()
      .filter((event): event is TranscriptEvent => event.type === 'transcript')
      .reduce<ConversationLine[]>(applyTranscript, []);
    expect(lines).toEqual([{ itemId: 'a1', role: 'assistant', text: 'x'.repeat(3000), final: false, interrupted: false }]);
  });

  it('spaces flushes by the interval', () => {
    const flushTimes: number[] = [];
    const timed = new EngineEventBatcher({ flush: () => flushTimes.push(Date.now()), intervalMs: 50 });
    for (let ms = 0; ms < 500; ms += 7) {
      timed.push({ type: 'level', level: 0.5 });
      vi.advanceTimersByTime(7);
    }
    vi.runAllTimers();
    const gaps = flushTimes.slice(1).map((time, index) => time - (flushTimes[index] ?? 0));
    expect(gaps.every((gap) => gap >= 50)).toBe(true);
    timed.dispose();
  });

  it('flushNow sends at once; dispose drops what is queued and ignores later events', () => {
    batcher.push({ type: 'state', state: 'thinking' });
    batcher.flushNow();
    expect(batches).toEqual([[{ type: 'state', state: 'thinking' }]]);
    batcher.push({ type: 'state', state: 'idle' });
    batcher.dispose();
    batcher.push({ type: 'state', state: 'error' });
    vi.runAllTimers();
    expect(batches).toHaveLength(1);
  });
});
