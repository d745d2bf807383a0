import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align, audibleSpan, describeAlignment, rms } from '../../support/audio-compare';
import { holdKey, keyDown, keyUp, sleep, speakIntoMic, SpeakerRecording, tapKey } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../../support/speech';

/**
 * The whole push-to-talk turn through real parts: headless Parley as a user runs it, the
 * loopback Realtime server, PulseAudio's virtual mic and speaker, and real key events on
 * Xvfb. Nothing here is faked.
 */
const HOTKEY = 'F9';
let server: RealtimeTestServer;
let parley: HeadlessProcess;
let question: SpeechClip;
let reply: SpeechClip;

beforeAll(async () => {
  question = makeSpeech('What is the weather like in Lisbon today?');
  reply = makeSpeech('It is sunny and warm in Lisbon, about twenty four degrees.', 'en-gb');
  server = await startRealtimeServer({
    apiKey: 'test-key',
    replyAudio: reply.pcm24k,
    replyText: 'It is sunny and warm in Lisbon, about twenty four degrees.',
    userTranscript: () => 'What is the weather like in Lisbon today?',
    paceAudio: true,
  });
  parley = new HeadlessProcess(['--url', server.url, '--model', 'gpt-realtime', '--hotkey', HOTKEY], { OPENAI_API_KEY: 'test-key' });
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  // Pre-roll holds only what the mic heard since it opened; nobody speaks in the first second.
  await sleep(1000);
});

afterAll(async () => {
  await parley?.stop();
  await server?.close();
});

describe('a push-to-talk turn, end to end', () => {
  it('sends the whole spoken question, plays the whole reply, and reports the transcript in order', async () => {
    const start = parley.events.length;
    const turnsBefore = server.turns.length;
    const speaker = new SpeakerRecording();
    await keyDown(HOTKEY);
    await speakIntoMic(question.wavPath);
    await keyUp(HOTKEY);

    await parley.waitFor((e) => e.type === 'transcript' && e.role === 'assistant' && e.final === true, 30_000, start);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, start);
    await sleep(300); // the speaker monitor's own latency
    const heard = await speaker.stop();

    // The server got the question whole: the speech sits inside the turn with its first and last syllables.
    expect(server.turns.length).toBe(turnsBefore + 1);
    const received = server.turns.at(-1)!.audio;
    const inTurn = align(question.pcm24k, received);
    expect(inTurn.correlation, describeAlignment(question.pcm24k, received, inTurn)).toBeGreaterThan(0.9);
    const speech = audibleSpan(question.pcm24k);
    // The key went down before the speech, and the pre-roll adds 300 ms before that: the
    // turn holds well over 200 ms of the room before the first syllable (without pre-roll, under 100 ms).
    expect(inTurn.offsetSamples + speech.start).toBeGreaterThanOrEqual(0.2 * 24_000);
    expect(inTurn.offsetSamples + speech.end).toBeLessThanOrEqual(received.length);

    // The reply came out of the speaker, all of it.
    const played = align(reply.pcm24k, heard);
    expect(played.correlation, describeAlignment(reply.pcm24k, heard, played)).toBeGreaterThan(0.9);
    expect(rms(heard)).toBeGreaterThan(100);
    const replySpan = audibleSpan(reply.pcm24k);
    expect(played.offsetSamples + replySpan.end).toBeLessThanOrEqual(heard.length);

    // States and transcript events in order.
    expect(parley.states(start)).toEqual(['listening', 'thinking', 'speaking', 'idle']);
    const transcripts = parley.events.slice(start).filter((e) => e.type === 'transcript');
    const assistant = transcripts.filter((e) => e.role === 'assistant');
    expect(assistant.length).toBeGreaterThan(1);
    for (let i = 1; i < assistant.length; i++) expect(String(assistant[i]!.text).startsWith(String(assistant[i - 1]!.text))).toBe(true);
    expect(assistant.at(-1)).toMatchObject({ final: true, text: 'It is sunny and warm in Lisbon, about twenty four degrees.' });
    const user = transcripts.filter((e) => e.role === 'user' && e.final === true);
    expect(user.at(-1)).toMatchObject({ text: 'What is the weather like in Lisbon today?' });
    expect(new Set(transcripts.filter((e) => e.role === 'user').map((e) => e.itemId)).size).toBe(1);
    expect(parley.strayLines).toEqual([]);
    expect(server.protocolViolations).toEqual([]);
  });

  it('keeps the first syllable when the key goes down after the speech has started (pre-roll)', async () => {
    const start = parley.events.length;
    const turnsBefore = server.turns.length;
    const speaking = speakIntoMic(question.wavPath);
    await sleep(250);
    await keyDown(HOTKEY);
    await speaking;
    await keyUp(HOTKEY);
    const thinking = await parley.waitFor((e) => e.type === 'state' && e.state === 'thinking', 30_000, start);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, thinking.index);
    const received = server.turns[turnsBefore]!.audio;
    const inTurn = align(question.pcm24k, received);
    expect(inTurn.correlation, describeAlignment(question.pcm24k, received, inTurn)).toBeGreaterThan(0.9);
    expect(inTurn.offsetSamples + audibleSpan(question.pcm24k).start).toBeGreaterThanOrEqual(0);
  });

  const commits = () => server.clientEvents.filter((e) => e.type === 'input_audio_buffer.commit').length;
  /** How long the engine saw each hold, by the X server's event times: the first thing to read when a tap counted. */
  const keyLog = () => parley.stderr.split('\n').filter((line) => /tap of|key held/.test(line)).join('\n');

  it('commits nothing for a tap under 100 ms', async () => {
    const start = parley.events.length;
    const commitsBefore = commits();
    await tapKey(HOTKEY);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 10_000, start);
    await sleep(800); // longer than any post-roll: a late commit would have arrived by now
    expect(commits()).toBe(commitsBefore);
    expect(server.clientEvents.at(-1)?.type).not.toBe('response.create');
    expect(parley.states(start)).toEqual(['listening', 'idle']);
  });

  // Timed key-down to key-up by the X server, as a user's finger times them.
  it.each([40, 60, 90])('commits nothing for a %i ms tap', async (holdMs) => {
    const start = parley.events.length;
    const commitsBefore = commits();
    await holdKey(HOTKEY, holdMs);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 10_000, start);
    await sleep(800);
    expect(commits(), keyLog()).toBe(commitsBefore);
    expect(parley.states(start)).toEqual(['listening', 'idle']);
  });

  it('commits a 150 ms hold', async () => {
    const start = parley.events.length;
    const eventsBefore = server.clientEvents.length;
    await holdKey(HOTKEY, 150);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'thinking', 10_000, start);
    await server.waitFor('input_audio_buffer.commit', 10_000, eventsBefore);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, start);
  });

  it('rapid taps commit nothing, and Parley rests once they stop', async () => {
    const start = parley.events.length;
    const commitsBefore = commits();
    await holdKey(HOTKEY, 40, 60, 80);
    const lastEvent = parley.events.length;
    // Idle once the last tap's release has been handled (it may already be).
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 10_000, Math.max(start, lastEvent - 1));
    await sleep(800);
    expect(commits(), keyLog()).toBe(commitsBefore);
    expect(parley.states(start).at(-1)).toBe('idle');
    expect(parley.states(start)).not.toContain('thinking');
  });

  it('stops playback at once on a key press during the reply and truncates at what was heard', async () => {
    const start = parley.events.length;
    await keyDown(HOTKEY);
    await speakIntoMic(question.wavPath);
    await keyUp(HOTKEY);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'speaking', 30_000, start);
    await sleep(700);
    const speaker = new SpeakerRecording();
    await keyDown(HOTKEY);
    const interruptedAt = parley.events.length;
    await parley.waitFor((e) => e.type === 'state' && e.state === 'listening', 10_000, start + 1);
    await sleep(600);
    await keyUp(HOTKEY);
    const afterBargeIn = await speaker.stop();

    const truncate = await server.waitFor((e) => e.type === 'conversation.item.truncate', 10_000);
    expect(Number.isInteger(truncate.audio_end_ms)).toBe(true);
    expect(truncate.audio_end_ms).toBeGreaterThan(0);
    expect(truncate.audio_end_ms).toBeLessThan((reply.pcm24k.length / 24_000) * 1000);
    expect(server.clientEvents.some((e) => e.type === 'response.cancel')).toBe(true);
    // Silence from the speaker after the press, give or take one buffer in flight.
    const tail = afterBargeIn.subarray(Math.min(afterBargeIn.length, 24_000 * 0.25));
    expect(rms(tail)).toBeLessThan(50);
    const interrupted = parley.events.slice(interruptedAt - 5).find((e) => e.type === 'transcript' && e.interrupted === true);
    expect(interrupted).toBeDefined();
    expect(server.protocolViolations).toEqual([]);
  });
});
