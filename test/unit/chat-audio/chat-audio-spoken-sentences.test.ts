import { afterEach, describe, expect, it } from 'vitest';
import type { BackendEvent } from '../../../src/main/backends/voice-backend';
import { ChatAudioServer, speechFor, type ChatAudioServerOptions } from '../../support/chat-audio-server';
import { BackendUnderTest, chirp } from './chat-audio-harness';

let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  server = null;
  subject = null;
});

const S1 = 'The sun is out over the hills today.';
const S2 = ' Then it rains for a while in the afternoon.';
const S3 = ' By evening the sky clears up again.';
const S4 = ' Tomorrow looks much the same.';
const REPLY = S1 + S2 + S3 + S4;
/** 10 ms of loopback speech per character of the trimmed sentence (see speechFor). */
const msOf = (sentence: string): number => sentence.trim().length * 10;

async function start(options: ChatAudioServerOptions): Promise<BackendUnderTest> {
  server = await ChatAudioServer.start(options);
  subject = new BackendUnderTest(server, { speech: { enabled: true, model: 'tts-1', voice: 'alloy' } });
  return subject;
}

function audioOf(events: BackendEvent[]): number[] {
  return events.flatMap((event) => (event.type === 'assistant-audio' ? Array.from(event.pcm) : []));
}

function speechOf(...sentences: string[]): number[] {
  return sentences.flatMap((sentence) => Array.from(speechFor(sentence.trim())));
}

/** Waits (without a deadline of its own: the test's timeout is the limit) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('ChatAudioBackend: spoken sentence by sentence', () => {
  it('requests speech for each sentence as it completes, the first long before the reply has finished', async () => {
    const run = await start({ reply: REPLY, chunkDelayMs: 40 });
    run.say(chirp(300, 24_000));
    await run.responses(1);

    expect(server!.speechRequests.map((request) => request.input)).toEqual([S1, S2, S3, S4].map((s) => s.trim()));
    // On the server: the first sentence was asked for before the last sentence began to stream.
    const timeline = server!.timeline.map((entry) => `${entry.what}:${entry.text}`);
    expect(timeline.indexOf(`speech-requested:${S1}`)).toBeGreaterThan(timeline.indexOf('chat-piece:today. '));
    expect(timeline.indexOf(`speech-requested:${S1}`)).toBeLessThan(timeline.indexOf('chat-piece:Tomorrow '));
    expect(timeline.indexOf(`speech-requested:${S4.trim()}`)).toBeGreaterThan(timeline.indexOf(`chat-finished:${REPLY}`));
    // In the client: the first audio was handed on while the text was still streaming.
    const firstAudio = run.events.findIndex((event) => event.type === 'assistant-audio');
    const lastSentenceText = run.events.findIndex((event) => event.type === 'assistant-text' && event.delta === 'Tomorrow ');
    expect(firstAudio).toBeGreaterThan(-1);
    expect(firstAudio).toBeLessThan(lastSentenceText);

    expect(audioOf(run.events)).toEqual(speechOf(S1, S2, S3, S4));
    expect(run.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect(run.types()).not.toContain('error');
  });

  it('keeps at most two speech requests in flight and plays them in order when a later one finishes first', async () => {
    const long = 'This first sentence is a good deal longer than the ones that come after it, so it downloads last.';
    const shorts = [' Short one.', ' Quick two.', ' Brief three.', ' Small four.'];
    const run = await start({ reply: long + shorts.join(''), speechChunkDelayMs: 15 });
    run.say(chirp(300, 24_000));
    await run.responses(1);

    expect(server!.maxSpeechInFlight).toBe(2);
    expect(server!.speechRequests).toHaveLength(5);
    // A short sentence finished downloading while the long first one was still streaming…
    const closes = server!.timeline.filter((entry) => entry.what === 'speech-closed').map((entry) => entry.text);
    expect(closes.indexOf('Short one.')).toBeLessThan(closes.indexOf(long));
    // …yet the audio was handed on in the reply's order, whole.
    expect(audioOf(run.events)).toEqual(speechOf(long, ...shorts));
  });

  it('a failed sentence keeps its text, skips its audio, is reported once, and the reply goes on', async () => {
    const run = await start({ reply: REPLY, speechFault: (input) => (input === S2.trim() || input === S3.trim() ? 'server-error' : null) });
    run.say(chirp(300, 24_000));
    await run.responses(1);

    expect(server!.speechRequests.map((request) => request.input)).toEqual([S1, S2, S3, S4].map((s) => s.trim()));
    const errors = run.events.flatMap((event) => (event.type === 'error' ? [event.error] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('server');
    expect(errors[0]?.message).toMatch(/speaking the reply \(HTTP 500\).*the words it could not speak are on screen\.$/);
    // No Retry: it would ask the question again, though the reply was spoken but for these words.
    expect(errors[0]?.action).toBeUndefined();
    expect(run.events.find((event) => event.type === 'assistant-text-done')).toEqual({ type: 'assistant-text-done', itemId: run.itemId('assistant'), text: REPLY });
    expect(audioOf(run.events)).toEqual(speechOf(S1, S4));
    expect(run.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });

  it('sends nothing to speak for a sentence with no words, such as a rule between paragraphs', async () => {
    const run = await start({ reply: 'Here is one paragraph.\n\n-----\n\nAnd here is the next one.' });
    run.say(chirp(300, 24_000));
    await run.responses(1);
    expect(server!.speechRequests.map((request) => request.input)).toEqual(['Here is one paragraph.', 'And here is the next one.']);
    expect(run.types()).not.toContain('error');
  });

  it('barge-in aborts every speech request in flight, and the next request remembers only what was heard', async () => {
    const run = await start({ reply: REPLY, speechFault: (input) => (input === S3.trim() || input === S4.trim() ? 'hang' : null) });
    run.say(chirp(300, 24_000));
    const heardSamples = speechOf(S1, S2).length;
    await until(() => server!.speechRequests.length === 4 && audioOf(run.events).length === heardSamples);

    // All of the first sentence and 40 % of the second had played.
    run.backend.interrupt({ itemId: run.itemId('assistant'), audioEndMs: msOf(S1) + 0.4 * msOf(S2) });
    const heard = 'The sun is out over the hills today. Then it rains';
    expect(run.events.slice(-2)).toEqual([
      { type: 'assistant-text-heard', itemId: run.itemId('assistant'), text: heard },
      { type: 'response-done', status: 'cancelled' },
    ]);
    expect(await server!.speechRequests[2]?.closed).toBe('client-closed');
    expect(await server!.speechRequests[3]?.closed).toBe('client-closed');

    server!.setReply('Fine.');
    run.say(chirp(300, 24_000));
    await run.responses(2);
    const history = server!.requests[1]?.messages;
    expect(history?.map((message) => [message.role, message.text])).toEqual([
      ['user', ''],
      ['assistant', heard],
      ['user', ''],
    ]);
  });

  it('barge-in after the last sentence downloaded, while it still plays, trims the memory too', async () => {
    const run = await start({ reply: S1 + S2 + S3 });
    run.say(chirp(300, 24_000));
    await run.responses(1);
    const before = run.events.length;

    run.backend.interrupt({ itemId: run.itemId('assistant'), audioEndMs: msOf(S1) + msOf(S2) + 0.5 * msOf(S3) });
    const heard = 'The sun is out over the hills today. Then it rains for a while in the afternoon. By evening the';
    // The reply had already ended: no second response-done.
    expect(run.events.slice(before)).toEqual([{ type: 'assistant-text-heard', itemId: run.itemId('assistant'), text: heard }]);

    run.say(chirp(300, 24_000));
    await run.responses(2);
    expect(server!.requests[1]?.messages[1]).toMatchObject({ role: 'assistant', text: heard });
  });

  it('barge-in with audio handed on but none played yet leaves nothing of the reply in memory', async () => {
    const run = await start({ reply: REPLY, speechFault: (input) => (input === S2.trim() ? 'hang' : null) });
    run.say(chirp(300, 24_000));
    await until(() => audioOf(run.events).length === speechOf(S1).length);

    run.backend.interrupt(null);
    expect(run.events.slice(-2)).toEqual([
      { type: 'assistant-text-heard', itemId: run.itemId('assistant'), text: '' },
      { type: 'response-done', status: 'cancelled' },
    ]);
    server!.setReply('Fine.');
    run.say(chirp(300, 24_000));
    await run.responses(2);
    expect(server!.requests[1]?.messages.map((message) => message.role)).toEqual(['user', 'user']);
  });
});
