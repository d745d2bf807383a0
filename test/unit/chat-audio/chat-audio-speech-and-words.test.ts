import { SettingsSchema } from '../../../src/shared/settings';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatAudioServer, speechFor } from '../../support/chat-audio-server';
import { BackendUnderTest, chirp } from './chat-audio-harness';

let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  server = null;
  subject = null;
});

const WHISPER = 'openai/whisper-large-v3-turbo';

describe('ChatAudioBackend: transcription', () => {
  it('replaces the clip line with the words and sends them as history once the clip is out of range', async () => {
    server = await ChatAudioServer.start({ transcript: (wav) => `A question of ${wav.samples.length} samples.`, reply: 'An answer.' });
    subject = new BackendUnderTest(server, { transcriptionModel: WHISPER, historyClips: 0 });
    subject.say(chirp(500, 24_000));
    const words = await subject.next('user-transcript-done');
    expect(words).toEqual({ type: 'user-transcript-done', itemId: subject.itemId('user'), text: 'A question of 8000 samples.' });
    expect(server.transcriptions[0]?.model).toBe(WHISPER);
    expect(server.transcriptions[0]?.wav.sampleRate).toBe(16_000);
    await subject.responses(1);

    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    const second = server.requests[1];
    expect(second?.messages.map((message) => [message.role, message.text, message.audioParts])).toEqual([
      ['user', 'A question of 8000 samples.', 0],
      ['assistant', 'An answer.', 0],
      ['user', '', 1],
    ]);
  });

  it('reports a transcription model the server lacks, while the reply still arrives', async () => {
    server = await ChatAudioServer.start({ reply: 'Still here.' });
    subject = new BackendUnderTest(server, { transcriptionModel: 'no-such-whisper' });
    subject.say(chirp(300, 24_000));
    const error = await subject.next('error');
    expect(error.error.code).toBe('model-not-found');
    expect(error.error.message).toMatch(/"no-such-whisper".*still went to the model\.$/);
    expect(error.error.action).toBe('open-settings');
    await subject.responses(1);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });
});

describe('ChatAudioBackend: spoken replies', () => {
  it('speaks the finished reply as 24 kHz assistant-audio before response-done', async () => {
    server = await ChatAudioServer.start({ reply: 'Hello there, friend.' });
    subject = new BackendUnderTest(server, { speech: { enabled: true, model: 'tts-1', voice: 'nova' } });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);

    expect(server.speechRequests.map(({ model, voice, input }) => ({ model, voice, input }))).toEqual([{ model: 'tts-1', voice: 'nova', input: 'Hello there, friend.' }]);
    const audio = subject.events.flatMap((event) => (event.type === 'assistant-audio' ? [event] : []));
    expect(audio.every((event) => event.itemId === subject!.itemId('assistant'))).toBe(true);
    const received = Int16Array.from(audio.flatMap((event) => Array.from(event.pcm)));
    expect(Array.from(received)).toEqual(Array.from(speechFor('Hello there, friend.')));
    const types = subject.types();
    expect(types.indexOf('assistant-text-done')).toBeLessThan(types.indexOf('assistant-audio'));
    expect(types.at(-1)).toBe('response-done');
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });

  it('barge-in stops the speech request', async () => {
    server = await ChatAudioServer.start({ reply: 'A reply long enough to take a while to speak out loud.', speechChunkDelayMs: 40 });
    subject = new BackendUnderTest(server, { speech: { enabled: true, model: 'tts-1', voice: 'alloy' } });
    subject.say(chirp(300, 24_000));
    await subject.next('assistant-audio');
    subject.backend.interrupt({ itemId: subject.itemId('assistant'), audioEndMs: 50 });
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'cancelled' });
    const heardSoFar = subject.events.length;
    expect(await server.speechRequests[0]?.closed).toBe('client-closed');
    expect(subject.events).toHaveLength(heardSoFar);
  });

  it('is off by default', async () => {
    server = await ChatAudioServer.start({ reply: 'Quiet.' });
    // The settings' own default, not the harness's: this is what a new user gets.
    subject = new BackendUnderTest(server, { speech: SettingsSchema.parse({}).chatAudio.speech });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.speechRequests).toHaveLength(0);
    expect(subject.types()).not.toContain('assistant-audio');
  });
});
