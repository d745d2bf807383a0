import { afterEach, describe, expect, it } from 'vitest';
import { ChatAudioServer, DEFAULT_AUDIO_MODEL } from '../../support/chat-audio-server';
import { replyPieces } from '../../support/chat-audio-server-sse';
import { BackendUnderTest, chirp, relativeError } from './chat-audio-harness';

let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  server = null;
  subject = null;
});


describe('ChatAudioBackend: one turn', () => {
  for (const form of ['input_audio', 'audio_url'] as const) {
    it(`sends the clip as a 16 kHz PCM16 WAV in an ${form} part and streams the reply`, async () => {
      server = await ChatAudioServer.start({ acceptedForms: [form], reply: 'It is sunny and warm today.' });
      subject = new BackendUnderTest(server, { audioPart: form });
      await subject.backend.connect();
      // 1.5 s at 24 kHz: pre-roll, speech and post-roll all arrive through appendAudio.
      const spoken = chirp(1500, 24_000);

      subject.say(spoken);
      await subject.responses(1);

      expect(server.rejections).toEqual([]);
      const [request] = server.requests;
      expect(request?.model).toBe(DEFAULT_AUDIO_MODEL);
      expect(request?.audio).toHaveLength(1);
      const clip = request?.audio[0];
      expect(clip?.form).toBe(form);
      expect(clip?.wav.sampleRate).toBe(16_000);
      expect(clip?.wav.samples.length).toBe((spoken.length * 2) / 3);
      expect(relativeError(clip?.wav.samples ?? new Int16Array(0), chirp(1500, 16_000), 8000)).toBeLessThan(0.01);
      expect(request?.includeUsage).toBe(true);

      const userTurn = subject.events.find((event) => event.type === 'user-turn');
      expect(userTurn).toEqual({ type: 'user-turn', itemId: subject.itemId('user'), clipMs: 1500 });
      const deltas = subject.events.flatMap((event) => (event.type === 'assistant-text' ? [event.delta] : []));
      expect(deltas).toEqual(replyPieces('It is sunny and warm today.'));
      expect(subject.events.at(-2)).toEqual({ type: 'assistant-text-done', itemId: subject.itemId('assistant'), text: 'It is sunny and warm today.' });
      expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    });
  }

  it('resamples frames that arrive over time, as from a live mic, without a seam', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server);
    const spoken = chirp(2000, 24_000);
    subject.backend.startTurn();
    for (let offset = 0; offset < spoken.length; offset += 480) {
      subject.backend.appendAudio(spoken.subarray(offset, offset + 480));
      // Yield like the mic does between frames, so later frames meet a loaded converter.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    subject.backend.finishTurn();
    await subject.responses(1);
    const samples = server.requests[0]?.audio[0]?.wav.samples ?? new Int16Array(0);
    expect(samples.length).toBe(32_000);
    expect(relativeError(samples, chirp(2000, 16_000), 8000)).toBeLessThan(0.01);
  });

  it('emits user-turn at once, then response-started, deltas, text-done and response-done in order', async () => {
    server = await ChatAudioServer.start({ reply: 'One two three.', chunkDelayMs: 5 });
    subject = new BackendUnderTest(server);
    await subject.backend.connect();
    subject.events.length = 0;
    subject.say(chirp(400, 24_000));
    expect(subject.types()).toEqual(['user-turn', 'response-started']);
    await subject.responses(1);
    expect(subject.types()).toEqual(['user-turn', 'response-started', 'assistant-text', 'assistant-text', 'assistant-text', 'assistant-text-done', 'response-done']);
  });

  it('takes the model from GET /models when none is configured, and connect() reports ready', async () => {
    server = await ChatAudioServer.start({ models: [{ id: 'Qwen/Qwen2-Audio-7B-Instruct', audio: true }, { id: 'other', audio: true }] });
    subject = new BackendUnderTest(server);
    await subject.backend.connect();
    expect(subject.backend.resolvedModel).toBe('Qwen/Qwen2-Audio-7B-Instruct');
    expect(subject.types()).toEqual(['connection', 'connection']);
    expect(subject.events.at(-1)).toEqual({ type: 'connection', status: 'ready' });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests[0]?.model).toBe('Qwen/Qwen2-Audio-7B-Instruct');
  });

  it('resolves the model on the first turn when connect() was not called', async () => {
    server = await ChatAudioServer.start({ models: [{ id: 'served-audio-model', audio: true }] });
    subject = new BackendUnderTest(server);
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests[0]?.model).toBe('served-audio-model');
  });

  it('reports ready after a failed connect() once the server answers a turn', async () => {
    const first = await ChatAudioServer.start();
    const url = first.baseUrl;
    await first.close();
    subject = new BackendUnderTest(first, { url });
    await expect(subject.backend.connect()).rejects.toMatchObject({ code: 'unreachable' });
    // The rejection is the report (the engine shows it); no second error event.
    expect(subject.events.map((event) => (event.type === 'error' ? event.error.code : event.type))).toEqual(['connection']);
    // The user starts vLLM after Parley: the next turn goes through and the backend is ready.
    server = await ChatAudioServer.start({ port: Number(new URL(url).port) });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(subject.types().slice(1, 4)).toEqual(['user-turn', 'response-started', 'connection']);
    expect(subject.events[3]).toEqual({ type: 'connection', status: 'ready' });
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });

  it('does not send a cancelled clip', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server);
    subject.backend.startTurn();
    subject.backend.appendAudio(chirp(300, 24_000));
    subject.backend.cancelTurn();
    subject.backend.finishTurn();
    // A real turn afterwards proves the server was listening: only it arrives.
    subject.say(chirp(100, 24_000));
    await subject.responses(1);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.audio[0]?.wav.samples.length).toBe(1600);
    expect(subject.events.filter((event) => event.type === 'user-turn')).toHaveLength(1);
  });

  it('sends the instructions as a system message and earlier turns as history: clips up to the limit, replies as text', async () => {
    let turn = 0;
    server = await ChatAudioServer.start({ reply: () => `Answer ${++turn}.` });
    subject = new BackendUnderTest(server, { instructions: 'Be brief.', historyClips: 2 });
    // Each turn is a different length so the clips can be told apart in the history.
    const lengths = [200, 300, 400, 500];
    for (const [index, ms] of lengths.entries()) {
      subject.say(chirp(ms, 24_000));
      await subject.responses(index + 1);
    }
    const last = server.requests[3];
    expect(last?.messages.map((message) => message.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(last?.messages[0]?.text).toBe('Be brief.');
    // The oldest turn has no words and no clip left: only its reply goes.
    expect(last?.messages.filter((message) => message.role === 'assistant').map((message) => message.text)).toEqual(['Answer 1.', 'Answer 2.', 'Answer 3.']);
    expect(last?.audio.map((part) => part.wav.samples.length)).toEqual([300 * 16, 400 * 16, 500 * 16]);
    expect(server.requests[0]?.messages.map((message) => message.role)).toEqual(['system', 'user']);
  });

  it('shows when finishTurn ran and the server shows when the body arrived, for the key-up bench', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server);
    subject.say(chirp(10_000, 24_000));
    await subject.responses(1);
    const timing = subject.backend.lastTurnTiming;
    const request = server.requests[0];
    expect(timing?.userItemId).toBe(subject.itemId('user'));
    expect(timing?.requestBytes).toBe(request?.bodyBytes);
    expect(timing && request && timing.finishTurnAt <= (timing.requestStartAt ?? Number.NaN)).toBe(true);
    expect(timing && request && (timing.requestStartAt ?? Number.NaN) <= request.firstByteAt).toBe(true);
    expect(request?.audio[0]?.wav.samples.length).toBe(160_000);
  });
});

describe('ChatAudioBackend: a reply the server cut off', () => {
  it('ends the response as incomplete when the stream finishes for its length limit', async () => {
    server = await ChatAudioServer.start({ reply: 'The first half of a long' });
    server.inject('length-limit');
    subject = new BackendUnderTest(server, {});
    await subject.backend.connect();
    subject.say(chirp(500, 24_000));
    await subject.responses(1);
    expect(subject.events.find((event) => event.type === 'assistant-text-done')).toMatchObject({ text: 'The first half of a long' });
    expect(subject.events.filter((event) => event.type === 'response-done')).toEqual([{ type: 'response-done', status: 'incomplete' }]);
  });
});
