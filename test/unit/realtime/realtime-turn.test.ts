import { afterEach, describe, expect, it } from 'vitest';
import { startRealtimeServer, voiceLikeReply, type RealtimeServerOptions, type RealtimeTestServer } from '../../support/realtime-server';
import { BackendRecorder, sweep } from './backend-recorder';

let server: RealtimeTestServer | null = null;
let recorder: BackendRecorder | null = null;

afterEach(async () => {
  await recorder?.backend.dispose();
  await server?.close();
  recorder = null;
  server = null;
});

async function ready(options: RealtimeServerOptions = {}, backend: ConstructorParameters<typeof BackendRecorder>[1] = {}): Promise<{ server: RealtimeTestServer; recorder: BackendRecorder }> {
  server = await startRealtimeServer({ apiKey: 'test-key', ...options });
  recorder = new BackendRecorder(server.url, backend);
  await recorder.backend.connect();
  return { server, recorder };
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

describe('RealtimeBackend: a push-to-talk turn', () => {
  it('sends exactly the audio it was given, commits, asks for a reply, and reports the reply', async () => {
    const reply = voiceLikeReply(0.8);
    const { server, recorder } = await ready({ replyAudio: reply, replyText: 'Sunny and warm.', userTranscript: () => 'How is the weather?' });
    const spoken = sweep(730);
    recorder.speak(spoken);
    recorder.backend.finishTurn();

    const done = await recorder.waitFor('response-done');
    expect(done.status).toBe('completed');
    expect(server.turns).toHaveLength(1);
    expect(server.turns[0]?.audio).toEqual(spoken);

    const types = server.clientEvents.map((e) => e.type);
    expect(types.filter((t) => t !== 'input_audio_buffer.append')).toEqual(['session.update', 'input_audio_buffer.commit', 'response.create']);
    // 20 ms chunks go out as they come, not batched.
    expect(types.filter((t) => t === 'input_audio_buffer.append')).toHaveLength(Math.ceil(spoken.length / 480));
    const ids = server.clientEvents.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);

    const turn = recorder.of('user-turn');
    expect(turn).toEqual([{ type: 'user-turn', itemId: server.turns[0]?.itemId, clipMs: 730 }]);
    const userFinal = recorder.of('user-transcript-done');
    expect(userFinal).toEqual([{ type: 'user-transcript-done', itemId: server.turns[0]?.itemId, text: 'How is the weather?' }]);

    const audio = concat(recorder.of('assistant-audio').map((e) => e.pcm));
    expect(audio).toEqual(reply);
    const assistantItem = recorder.of('assistant-audio')[0]?.itemId;
    expect(recorder.of('assistant-text').every((e) => e.itemId === assistantItem)).toBe(true);
    expect(recorder.of('assistant-text').map((e) => e.delta).join('')).toBe('Sunny and warm.');
    expect(recorder.of('assistant-text-done')).toEqual([{ type: 'assistant-text-done', itemId: assistantItem, text: 'Sunny and warm.' }]);

    const order = recorder.events.map((e) => e.type).filter((t) => ['user-turn', 'response-started', 'response-done'].includes(t));
    expect(order).toEqual(['user-turn', 'response-started', 'response-done']);
    expect(server.protocolViolations).toEqual([]);
  });

  it('attaches the user transcript to its item when it arrives after the reply', async () => {
    const { server, recorder } = await ready({ transcriptTiming: 'after-reply', userTranscript: (i) => `Question ${i + 1}` });
    for (const turn of [0, 1]) {
      const from = recorder.events.length;
      recorder.speak(sweep(300, turn + 1));
      recorder.backend.finishTurn();
      await recorder.waitFor('user-transcript-done', () => true, 5000, from);
    }
    const [first, second] = server.turns;
    const finals = recorder.of('user-transcript-done');
    expect(finals.map((e) => [e.itemId, e.text])).toEqual([
      [first?.itemId, 'Question 1'],
      [second?.itemId, 'Question 2'],
    ]);
    // It really came late: after that turn's reply was done.
    const firstFinal = recorder.events.findIndex((e) => e.type === 'user-transcript-done');
    const firstDone = recorder.events.findIndex((e) => e.type === 'response-done');
    expect(firstFinal).toBeGreaterThan(firstDone);
    // Partial words stream in as pieces, and add up to the whole text.
    const partials = recorder.of('user-transcript').filter((e) => e.itemId === first?.itemId);
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.map((e) => e.delta).join('')).toBe('Question 1');
    // The conversation the session keeps holds each question above its answer, whenever its words came.
    expect(recorder.conversation.lines.filter((line) => line.role === 'user').map((line) => line.text)).toEqual(['Question 1', 'Question 2']);
    expect(recorder.conversation.lines.map((line) => line.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('a cancelled turn clears what the server buffered, and commits nothing', async () => {
    const { server, recorder } = await ready();
    recorder.speak(sweep(90));
    recorder.backend.cancelTurn();
    await server.waitFor('input_audio_buffer.clear');
    expect(server.clientEvents.map((e) => e.type)).not.toContain('input_audio_buffer.commit');
    expect(server.clientEvents.map((e) => e.type)).not.toContain('response.create');

    // The next turn starts from an empty buffer: only its own audio is committed.
    const next = sweep(200, 2);
    recorder.speak(next);
    recorder.backend.finishTurn();
    await recorder.waitFor('response-done');
    expect(server.turns.map((t) => t.audio)).toEqual([next]);
    expect(server.protocolViolations).toEqual([]);
  });

  it('drops a cancelled tap without sending it', async () => {
    const { server, recorder } = await ready();
    recorder.speak(sweep(400));
    recorder.backend.cancelTurn();
    await server.waitFor('input_audio_buffer.clear');
    expect(server.clientEvents.map((e) => e.type)).not.toContain('input_audio_buffer.commit');
  });

  it('understands a server that speaks the beta event names', async () => {
    const reply = voiceLikeReply(0.5);
    const { server, recorder } = await ready({ betaNames: true, replyAudio: reply, replyText: 'Old names.' });
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    await recorder.waitFor('response-done');
    expect(concat(recorder.of('assistant-audio').map((e) => e.pcm))).toEqual(reply);
    expect(recorder.of('assistant-text-done').map((e) => e.text)).toEqual(['Old names.']);
    expect(recorder.of('user-turn').map((e) => e.itemId)).toEqual([server.turns[0]?.itemId]);
  });

  it('resends the last turn on retry', async () => {
    const { server, recorder } = await ready();
    expect(recorder.backend.retryLastTurn()).toBe(false);
    const spoken = sweep(250);
    recorder.speak(spoken);
    recorder.backend.finishTurn();
    await recorder.waitFor('response-done');
    expect(recorder.backend.retryLastTurn()).toBe(true);
    await recorder.waitFor('response-done', () => true, 5000, recorder.events.findIndex((e) => e.type === 'response-done') + 1);
    expect(server.turns.map((t) => t.audio)).toEqual([spoken, spoken]);
    expect(server.protocolViolations).toEqual([]);
  });

});
