import { BACKEND_SAMPLE_RATE } from '../src/main/backends/voice-backend';
import { ChatAudioServer } from '../test/support/chat-audio-server';
import { summarize, type Figure } from './figures';
import { loopbackChatBackend } from './loopback-chat-backend';

const RUNS = 7;
const CLIP_SECONDS = 10;

/**
 * Key-up → request bytes on the wire for a 10 s clip, chat-audio backend against the
 * loopback vLLM stand-in. Both run in this process so their clocks are the same clock.
 */
export async function benchChatAudio(): Promise<Figure[]> {
  const server = await ChatAudioServer.start();
  const backend = loopbackChatBackend(server, { enabled: false, model: '', voice: '' });
  const done: Array<() => void> = [];
  backend.on((event) => {
    if (event.type === 'response-done') done.shift()?.();
  });
  await backend.connect();
  const clip = speechLikeClip(CLIP_SECONDS);
  const chunk = BACKEND_SAMPLE_RATE / 10;
  const delays: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const finished = new Promise<void>((resolve) => done.push(resolve));
    backend.startTurn();
    for (let offset = 0; offset < clip.length; offset += chunk) backend.appendAudio(clip.subarray(offset, offset + chunk));
    backend.finishTurn();
    await finished;
    const request = server.requests.at(-1)!;
    const timing = backend.lastTurnTiming!;
    delays.push(request.firstByteAt - timing.finishTurnAt);
    bytes = request.bodyBytes;
  }
  await backend.dispose();
  await server.close();
  return [summarize(`chat-audio: key-up → request on the wire, ${CLIP_SECONDS} s clip (${(bytes / 1024).toFixed(0)} KiB)`, 'ms', delays, 50)];
}

function speechLikeClip(seconds: number): Int16Array {
  const pcm = new Int16Array(BACKEND_SAMPLE_RATE * seconds);
  for (let i = 0; i < pcm.length; i++) {
    const t = i / BACKEND_SAMPLE_RATE;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 3 * t));
    pcm[i] = Math.round(8000 * syllable * Math.sin(2 * Math.PI * (140 + 40 * Math.sin(2 * Math.PI * 0.5 * t)) * t));
  }
  return pcm;
}
