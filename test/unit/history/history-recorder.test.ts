import type { EngineEvent } from '../../../src/shared/engine-events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryRecorder } from '../../../src/main/history/history-recorder';
import { EventSource, temporaryDataDir } from './history-fixtures';

describe('HistoryRecorder', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let store: ConversationStore;
  let events: EventSource;
  let notices: string[];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    data = temporaryDataDir();
    store = ConversationStore.open(data.dir, { writer: true });
    events = new EventSource();
    notices = [];
  });
  afterEach(() => {
    store.dispose();
    data.remove();
    vi.useRealTimers();
  });

  const record = (keepHistory = true): HistoryRecorder =>
    new HistoryRecorder({ store, subscribe: events.subscribe, keepHistory, onNotice: (sentence) => notices.push(sentence) });
  const onlyConversation = () => {
    const [summary] = store.list();
    return store.get(summary!.id);
  };

  it('puts a question above its answer when the question’s words arrive after the answer began', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: '', final: false, clipMs: 900 });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Paris is', final: false });
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'What is the capital of France?', final: true });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Paris is the capital.', final: true });
    const conversation = onlyConversation();
    expect(conversation.lines.map((line) => [line.role, line.text, line.status])).toEqual([
      ['user', 'What is the capital of France?', 'final'],
      ['assistant', 'Paris is the capital.', 'final'],
    ]);
    expect(conversation.title).toBe('What is the capital of France?');
    recorder.dispose();
  });

  it('writes a streaming line at once, then at most once per second, and at the end', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'One', final: false });
    expect(onlyConversation().lines[0]!.text).toBe('One');
    vi.advanceTimersByTime(300);
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'One two', final: false });
    expect(onlyConversation().lines[0]!.text).toBe('One'); // throttled
    vi.advanceTimersByTime(700);
    expect(onlyConversation().lines[0]).toMatchObject({ text: 'One two', status: 'streaming' }); // a second after the last write
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'One two three.', final: true });
    expect(onlyConversation().lines[0]).toMatchObject({ text: 'One two three.', status: 'final' });
    recorder.dispose();
  });

  it('stores an interruption with the heard text, and it stays interrupted', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'A long answer that goes on', final: false });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'A long', final: false, interrupted: true });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'A long', final: true });
    expect(onlyConversation().lines[0]).toMatchObject({ text: 'A long', status: 'interrupted' });
    recorder.dispose();
  });

  it('stores tool calls and errors as lines with their own role, in order', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'Weather in Oslo?', final: true });
    events.emit({ type: 'tool', callId: 'c1', name: 'forecast', server: 'weather', status: 'running', arguments: { city: 'Oslo' } });
    events.emit({ type: 'tool', callId: 'c1', name: 'forecast', server: 'weather', status: 'done', arguments: { city: 'Oslo' }, result: 'rain' });
    events.emit({ type: 'error', code: 'stream-broken', message: 'The reply stopped halfway; press the key to ask again.' });
    const lines = onlyConversation().lines;
    expect(lines.map((line) => line.role)).toEqual(['user', 'tool', 'error']);
    expect(lines[1]).toMatchObject({
      text: 'weather.forecast',
      status: 'final',
      detail: { callId: 'c1', name: 'forecast', server: 'weather', toolStatus: 'done', arguments: { city: 'Oslo' }, result: 'rain' },
    });
    expect(lines[2]).toMatchObject({ text: 'The reply stopped halfway; press the key to ask again.', detail: { code: 'stream-broken' } });
    recorder.dispose();
  });

  it('ignores errors outside a conversation, and events of other shapes', () => {
    const recorder = record();
    events.emit({ type: 'error', code: 'mic-unavailable', message: 'No microphone.' });
    events.emit({ type: 'state', state: 'idle' });
    events.emit({ type: 'level', level: 0.5 });
    // Not an event the engine can send (its type says so), but the recorder must not trip on one.
    events.emit({ type: 'tool', name: 'no call id' } as unknown as EngineEvent);
    expect(store.list()).toEqual([]);
    recorder.dispose();
  });

  it('writes nothing while Keep history is off, and starts a new conversation when it is back on', () => {
    const recorder = record(false);
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'secret', final: true });
    expect(store.list()).toEqual([]);
    recorder.setKeepHistory(true);
    events.emit({ type: 'transcript', role: 'user', itemId: 'u2', text: 'public', final: true });
    recorder.setKeepHistory(false);
    events.emit({ type: 'transcript', role: 'user', itemId: 'u3', text: 'secret again', final: true });
    vi.runAllTimers();
    expect(store.list().map((summary) => summary.title)).toEqual(['public']);
    expect(store.search('secret')).toEqual([]);
    recorder.dispose();
  });

  it('continues a past conversation: new lines go on at its end', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'Remember 42.', final: true });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Noted.', final: true });
    const id = recorder.conversationId!;
    recorder.startNewConversation();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u2', text: 'Another chat', final: true });
    recorder.continueConversation(id);
    events.emit({ type: 'transcript', role: 'user', itemId: 'u3', text: 'What number?', final: true });
    expect(store.get(id).lines.map((line) => line.text)).toEqual(['Remember 42.', 'Noted.', 'What number?']);
    expect(store.list()).toHaveLength(2);
    recorder.dispose();
  });

  it('goes on in a new conversation when the current one is deleted while recording', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'first', final: true });
    store.delete(recorder.conversationId!);
    events.emit({ type: 'transcript', role: 'user', itemId: 'u2', text: 'second', final: true });
    expect(store.list().map((summary) => summary.title)).toEqual(['second']);
    expect(notices).toEqual([]);
    recorder.dispose();
  });

  it('a clip that never gets words is a complete turn once its reply is done', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: '', final: false, clipMs: 2000 });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Sure.', final: false });
    expect(onlyConversation().lines[0]!.status).toBe('streaming');
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Sure.', final: true });
    expect(onlyConversation().lines[0]).toMatchObject({ text: '', status: 'final', detail: { clipMs: 2000 } });
    events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'Late words', final: true });
    expect(onlyConversation().lines[0]).toMatchObject({ text: 'Late words', status: 'final' });
    recorder.dispose();
  });

  it('stores a reply still streaming at quit as incomplete, and unsubscribes', () => {
    const recorder = record();
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Half', final: false });
    events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Half of it', final: false });
    recorder.dispose();
    expect(onlyConversation().lines[0]).toMatchObject({ text: 'Half of it', status: 'incomplete' });
    expect(events.listenerCount).toBe(0);
  });
});
