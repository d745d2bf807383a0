import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align, describeAlignment, rms, soundSamples } from '../../support/audio-compare';
import { sleep, speakIntoMic, SpeakerRecording, tapKey } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../../support/speech';

/**
 * Barge-in in toggle mode, through real parts as a user runs it: headless Parley with
 * `--mode toggle`, the loopback Realtime server sending the reply's audio at the pace it plays,
 * PulseAudio's virtual mic and speaker, real key taps on Xvfb. A tap while the reply plays must
 * stop it and truncate the item at what came out of the speaker, as a key press does in hold mode.
 */
const HOTKEY = 'F9';
const RATE = 24_000;
let server: RealtimeTestServer;
let parley: HeadlessProcess;
let question: SpeechClip;
const replyText = 'Lisbon has mild winters and warm summers, and in spring the days are bright and the evenings cool.';

/**
 * Eight seconds of a voice (a gliding 120–160 Hz pitch with harmonics, syllables at ~4 Hz) that
 * never falls silent: every 10 ms of it is sound, so how much came out of the speaker can be
 * counted to the window wherever the tap cuts it. Speech from espeak has pauses between words
 * and sentences, where a cut could move by a pause's length unnoticed.
 */
function continuousVoice(seconds: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE;
    const pitch = 140 + 20 * Math.sin(2 * Math.PI * 0.5 * t);
    let sample = 0;
    for (let h = 1; h <= 6; h++) sample += Math.sin(2 * Math.PI * pitch * h * t) / h;
    const syllables = 0.4 + 0.6 * Math.abs(Math.sin(Math.PI * 4 * t));
    const fade = Math.min(1, t / 0.02, (seconds - t) / 0.02);
    out[i] = Math.round(sample * syllables * fade * 6000);
  }
  return out;
}
const reply = continuousVoice(8);

beforeAll(async () => {
  question = makeSpeech('Tell me about the weather in Lisbon.');
  server = await startRealtimeServer({
    apiKey: 'test-key',
    replyAudio: reply,
    replyText,
    userTranscript: () => 'Tell me about the weather in Lisbon.',
    paceAudio: true,
  });
  parley = new HeadlessProcess(['--url', server.url, '--model', 'gpt-realtime', '--hotkey', HOTKEY, '--mode', 'toggle'], {
    OPENAI_API_KEY: 'test-key',
  });
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  await sleep(1000);
});

afterAll(async () => {
  await parley?.stop();
  await server?.close();
});

/** How many ms of `pcm` are sound: what of the reply came out, however the device spaced it (see soundSamples). */
function soundMs(pcm: Int16Array): number {
  return soundSamples(pcm) / (RATE / 1000);
}

describe('toggle mode, end to end', () => {
  it('a tap while the reply plays stops it and truncates the item at what was heard', async () => {
    const start = parley.events.length;
    await tapKey(HOTKEY);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'listening', 10_000, start);
    await speakIntoMic(question.wavPath);
    const speaker = new SpeakerRecording();
    await tapKey(HOTKEY);
    const speaking = await parley.waitFor((e) => e.type === 'state' && e.state === 'speaking', 30_000, start);
    await sleep(2500);
    const eventsBeforeTap = server.clientEvents.length;
    await tapKey(HOTKEY);
    await parley.waitFor((e) => e.type === 'state' && e.state !== 'speaking', 10_000, speaking.index + 1);
    // Long enough for anything still in flight to come out, and for the monitor's own latency.
    await sleep(1000);
    const heard = await speaker.stop();

    expect(server.clientEvents.slice(eventsBeforeTap).some((e) => e.type === 'response.cancel')).toBe(true);
    const truncate = await server.waitFor((e) => e.type === 'conversation.item.truncate', 5000, eventsBeforeTap);
    const replyItem = parley.events.slice(start).find((e) => e.type === 'transcript' && e.role === 'assistant')?.itemId;
    expect(truncate.item_id).toBe(replyItem);
    const replyMs = (reply.length * 1000) / RATE;
    const endMs = Number(truncate.audio_end_ms);
    expect(Number.isInteger(truncate.audio_end_ms)).toBe(true);
    // The tap came seconds into a longer reply.
    expect(endMs).toBeGreaterThan(1000);
    expect(endMs).toBeLessThan(replyMs - 1000);

    // What came out of the speaker is as much of the reply as the truncate says was heard (the
    // count is to the sample; the device's and the monitor's resamplers blur each edge by a
    // little), and nothing after the tap.
    const heardPart = reply.subarray(0, Math.round((endMs * RATE) / 1000));
    const played = align(heardPart, heard);
    const detail = `${describeAlignment(heardPart, heard, played)}\ntruncated at ${endMs} ms, ${soundMs(heard).toFixed(1)} ms of sound recorded`;
    expect(soundMs(heardPart)).toBeGreaterThanOrEqual(endMs - 10);
    expect(Math.abs(soundMs(heard) - endMs), detail).toBeLessThanOrEqual(30);
    expect(rms(heard.subarray(heard.length - RATE / 2)), detail).toBeLessThan(50);
    expect(server.protocolViolations).toEqual([]);
  });
});
