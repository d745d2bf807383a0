import { performance } from 'node:perf_hooks';
import { BACKEND_SAMPLE_RATE } from '../src/main/backends/voice-backend';
import { ChatAudioServer } from '../test/support/chat-audio-server';
import { summarize, type Figure } from './figures';
import { loopbackChatBackend } from './loopback-chat-backend';

const RUNS = 7;
/** The loopback speech endpoint's fixed wait before its first byte, like a TTS model's time to first audio. */
const SPEECH_DELAY_MS = 150;
/** One word every 60 ms: a slowly streamed answer, as from a model on a busy server. */
const WORD_DELAY_MS = 60;
const FIRST_SENTENCE = 'The first sentence of this answer is complete right here.';
const REPLY = `${FIRST_SENTENCE} A second one follows while the first is spoken. Then a third comes along. And a fourth ends it.`;
/** The piece (one word and its space, as the loopback server streams) that completes the first sentence. */
const ENDING_PIECE = 'here. ';

/**
 * Chat-audio with spoken replies: from the first sentence's end to its first audio, against a
 * loopback speech endpoint with a fixed delay. The end is the server's write of the SSE chunk
 * that completes the sentence; the audio is measured where the backend hands it to the session
 * for the speaker, not at the device (the speaker's own delay is the "first reply audio
 * received → first sample to the device" figure). Server and backend share this process's clock.
 * The reference is the same endpoint's time to first byte for the same sentence, from a plain fetch.
 */
export async function benchChatSpeech(): Promise<Figure[]> {
  const server = await ChatAudioServer.start({ reply: REPLY, chunkDelayMs: WORD_DELAY_MS, speechDelayMs: SPEECH_DELAY_MS });
  const backend = loopbackChatBackend(server, { enabled: true, model: 'tts-1', voice: 'alloy' });
  let firstAudioAt: number | null = null;
  const done: Array<() => void> = [];
  backend.on((event) => {
    if (event.type === 'assistant-audio') firstAudioAt ??= performance.now();
    if (event.type === 'response-done') done.shift()?.();
  });
  await backend.connect();

  const referenceMs: number[] = [];
  const endToAudioMs: number[] = [];
  const question = new Int16Array(BACKEND_SAMPLE_RATE / 2).fill(1000);
  for (let run = 0; run < RUNS; run++) {
    referenceMs.push(await timeToFirstByte(server.baseUrl, FIRST_SENTENCE));
    firstAudioAt = null;
    const timelineFrom = server.timeline.length;
    const finished = new Promise<void>((resolve) => done.push(resolve));
    backend.startTurn();
    backend.appendAudio(question);
    backend.finishTurn();
    await finished;
    const ending = server.timeline.slice(timelineFrom).find((entry) => entry.what === 'chat-piece' && entry.text === ENDING_PIECE);
    if (!ending || firstAudioAt === null) throw new Error('chat-speech bench: the first sentence ended without audio');
    endToAudioMs.push(firstAudioAt - ending.at);
  }
  await backend.dispose();
  await server.close();

  const reference = summarize(`reference: loopback /audio/speech, time to first byte by a plain fetch (fixed delay ${SPEECH_DELAY_MS} ms)`, 'ms', referenceMs, SPEECH_DELAY_MS + 60);
  const measured = summarize('chat-audio spoken: first sentence ends → its first audio handed to the speaker (not the device)', 'ms', endToAudioMs, reference.value + 60);
  measured.name += ` [×${(measured.value / reference.value).toFixed(2)} the reference]`;
  // Each run beside the reference taken just before it: machine noise moves both alike.
  const overhead = summarize('  the same, minus the reference of its run (what Parley adds)', 'ms', endToAudioMs.map((ms, run) => ms - referenceMs[run]!), 60);
  return [reference, measured, overhead];
}

/** POST /audio/speech and wait for the first body bytes: what the endpoint alone costs. */
async function timeToFirstByte(baseUrl: string, input: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input, response_format: 'pcm' }),
  });
  const reader = response.body!.getReader();
  await reader.read();
  const elapsed = performance.now() - started;
  await reader.cancel();
  return elapsed;
}
