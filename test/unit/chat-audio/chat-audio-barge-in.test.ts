import { afterEach, describe, expect, it } from 'vitest';
import { ChatAudioServer } from '../../support/chat-audio-server';
import { BackendUnderTest, chirp } from './chat-audio-harness';

let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  server = null;
  subject = null;
});

const LONG_REPLY = 'Once upon a time there was a very long answer that kept going and going for many words.';

describe('ChatAudioBackend: barge-in and retry', () => {
  it('interrupt() aborts the request, reports cancelled, and keeps what was shown in the history', async () => {
    server = await ChatAudioServer.start({ chunkDelayMs: 30, reply: (request) => (server?.requests.indexOf(request) === 0 ? LONG_REPLY : 'Short.') });
    subject = new BackendUnderTest(server);
    await subject.backend.connect();
    subject.say(chirp(300, 24_000));
    await subject.next('assistant-text', (event) => event.delta.startsWith('upon'));
    subject.backend.interrupt(null);

    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'cancelled' });
    expect(await server.requests[0]?.closed).toBe('client-closed');
    const shown = subject.events.flatMap((event) => (event.type === 'assistant-text' ? [event.delta] : [])).join('');
    expect(shown.length).toBeLessThan(LONG_REPLY.length);
    expect(LONG_REPLY.startsWith(shown)).toBe(true);
    expect(subject.types()).not.toContain('assistant-text-done');

    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    const history = server.requests[1]?.messages;
    expect(history?.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(history?.[1]?.text).toBe(shown);
    // Nothing from the aborted reply leaked in after the cancel.
    const afterCancel = subject.events.slice(subject.events.findIndex((event) => event.type === 'response-done') + 1);
    expect(afterCancel.map((event) => event.type)).toEqual(['user-turn', 'response-started', 'assistant-text', 'assistant-text-done', 'response-done']);
  });

  it('interrupt() with nothing in flight does nothing', async () => {
    server = await ChatAudioServer.start({ reply: 'Done.' });
    subject = new BackendUnderTest(server);
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    const before = subject.events.length;
    subject.backend.interrupt({ itemId: subject.itemId('assistant'), audioEndMs: 100 });
    expect(subject.events).toHaveLength(before);
  });

  it('retryLastTurn() resends the same clip with the same history after a failure', async () => {
    server = await ChatAudioServer.start({ reply: 'Fine.' });
    subject = new BackendUnderTest(server, { instructions: 'Be brief.' });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    server.inject('no-done');
    subject.say(chirp(700, 24_000, 300, 900));
    await subject.responses(2);
    expect((await subject.next('error')).error.code).toBe('stream-broken');

    expect(subject.backend.retryLastTurn()).toBe(true);
    expect(subject.backend.retryLastTurn()).toBe(false);
    await subject.responses(3);
    const [, failed, retried] = server.requests;
    expect(retried?.messages).toEqual(failed?.messages);
    expect(retried?.audio.map((part) => Array.from(part.wav.samples))).toEqual(failed?.audio.map((part) => Array.from(part.wav.samples)));
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect(subject.backend.retryLastTurn()).toBe(false);
  });

  it('a new question after a failure replaces it: there is nothing left to retry', async () => {
    server = await ChatAudioServer.start({ reply: 'Fine.' });
    server.inject('server-error');
    subject = new BackendUnderTest(server);
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(subject.backend.retryLastTurn()).toBe(false);
    // The failed question still went along as history, since it was asked.
    expect(server.requests[0]?.messages.map((message) => message.role)).toEqual(['user', 'user']);
  });

  it('retryLastTurn() has nothing to send before any failure', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server);
    expect(subject.backend.retryLastTurn()).toBe(false);
  });

  it('a cleared conversation leaves no history', async () => {
    server = await ChatAudioServer.start({ reply: 'Sure.' });
    subject = new BackendUnderTest(server);
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    subject.conversation.replace([]);
    subject.backend.replaceConversation();
    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(server.requests[1]?.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('a continued conversation goes first, as words, and the turns after it follow', async () => {
    server = await ChatAudioServer.start({ reply: 'It is 42.' });
    subject = new BackendUnderTest(server);
    subject.conversation.replace([
      { itemId: 'history:2:u', role: 'user', text: 'Remember the number 42.', final: true, interrupted: false },
      { itemId: 'history:2:t', role: 'tool', text: 'ok', final: true, interrupted: false },
      { itemId: 'history:2:a', role: 'assistant', text: 'Noted.', final: true, interrupted: false },
      { itemId: 'history:2:q', role: 'user', text: '', final: true, interrupted: false },
    ]);
    subject.backend.replaceConversation();
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(server.requests[0]?.messages.map((message) => [message.role, message.text])).toEqual([
      ['user', 'Remember the number 42.'],
      ['assistant', 'Noted.'],
      ['user', ''],
    ]);
    expect(server.requests[1]?.messages.map((message) => [message.role, message.text, message.audioParts])).toEqual([
      ['user', 'Remember the number 42.', 0],
      ['assistant', 'Noted.', 0],
      ['user', '', 1],
      ['assistant', 'It is 42.', 0],
      ['user', '', 1],
    ]);
  });

  it('gives its turns ids no other backend uses, so a continued conversation or a new backend never overwrites a line', async () => {
    server = await ChatAudioServer.start({ reply: 'Fine.' });
    subject = new BackendUnderTest(server);
    const other = new BackendUnderTest(server);
    subject.say(chirp(300, 24_000));
    other.say(chirp(300, 24_000));
    subject.say(chirp(300, 24_000));
    await Promise.all([subject.responses(2), other.responses(1)]);
    const ids = [subject.itemId('user', 1), subject.itemId('user', 2), subject.itemId('assistant', 1), other.itemId('user', 1), other.itemId('assistant', 1)];
    expect(new Set(ids).size).toBe(ids.length);
    await other.backend.dispose();
  });
});
