import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align, audibleSpan, describeAlignment } from '../../support/audio-compare';
import { ChatAudioServer, DEFAULT_AUDIO_MODEL } from '../../support/chat-audio-server';
import { keyDown, keyUp, sleep, speakIntoMic } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { makeSpeech, readPcm, type SpeechClip } from '../../support/speech';

/**
 * The chat-audio turn through real parts: headless Parley pointed at a loopback server that
 * behaves like vLLM's OpenAI server, the virtual mic, and a real key press on Xvfb.
 */
const HOTKEY = 'RightCtrl';
const REPLY = 'Paris is the capital of France, and it sits on the Seine.';
let server: ChatAudioServer;
let parley: HeadlessProcess;
let question: SpeechClip;

beforeAll(async () => {
  question = makeSpeech('Which city is the capital of France?');
  server = await ChatAudioServer.start({ reply: REPLY, chunkDelayMs: 15 });
  parley = new HeadlessProcess(['--backend', 'chat-audio', '--url', server.baseUrl, '--hotkey', HOTKEY, '--audio-part', 'audio_url']);
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  await sleep(1000); // pre-roll holds only what the mic heard since it opened
});

afterAll(async () => {
  await parley?.stop();
  await server?.close();
});

describe('a chat-audio turn, end to end', () => {
  it('sends the spoken question as a WAV data URL and streams the reply into the transcript', async () => {
    const start = parley.events.length;
    // X keycode 105 is Right Control; `Control_R` would press the left one too under xdotool.
    await keyDown('105');
    await speakIntoMic(question.wavPath);
    await keyUp('105');
    await parley.waitFor((e) => e.type === 'transcript' && e.role === 'assistant' && e.final === true, 30_000, start);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, start);

    expect(server.rejections).toEqual([]);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.model).toBe(DEFAULT_AUDIO_MODEL); // no --model: the first from GET /v1/models
    expect(request.audio).toHaveLength(1);
    expect(request.audio[0]!.form).toBe('audio_url');
    const wav = request.audio[0]!.wav;
    expect(wav.sampleRate).toBe(16_000);
    const reference = readPcm(question.wavPath, 16_000);
    const inClip = align(reference, wav.samples);
    expect(inClip.correlation, describeAlignment(reference, wav.samples, inClip, 16_000)).toBeGreaterThan(0.9);
    const speech = audibleSpan(reference);
    expect(inClip.offsetSamples + speech.start).toBeGreaterThanOrEqual(0);
    expect(inClip.offsetSamples + speech.end).toBeLessThanOrEqual(wav.samples.length);
    expect(request.messages[0]).toMatchObject({ role: 'system' });

    const transcripts = parley.events.slice(start).filter((e) => e.type === 'transcript');
    const user = transcripts.find((e) => e.role === 'user');
    expect(user).toMatchObject({ text: '', final: false });
    expect(Number(user!.clipMs)).toBeGreaterThan(2000);
    const assistant = transcripts.filter((e) => e.role === 'assistant');
    expect(assistant.length).toBeGreaterThan(2);
    for (let i = 1; i < assistant.length; i++) expect(String(assistant[i]!.text).startsWith(String(assistant[i - 1]!.text))).toBe(true);
    expect(assistant.at(-1)).toMatchObject({ text: REPLY, final: true });
    expect(parley.states(start)).toEqual(['listening', 'thinking', 'idle']);
    expect(parley.strayLines).toEqual([]);
  });
});
