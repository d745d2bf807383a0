import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align, describeAlignment, envelope, rms } from '../../support/audio-compare';
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
let reply: SpeechClip;
const replyText =
  'Lisbon has mild winters and warm summers. In spring the days are bright and the evenings are cool, ' +
  'and in the old town the narrow streets climb steeply between tiled houses and small cafes.';

beforeAll(async () => {
  question = makeSpeech('Tell me about the weather in Lisbon.');
  // Long and spoken, so it is still playing seconds in.
  reply = makeSpeech(replyText, 'en-gb');
  server = await startRealtimeServer({
    apiKey: 'test-key',
    replyAudio: reply.pcm24k,
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

/**
 * Where the reply stops in `heard` (aligned at `offset`), in ms of the reply: the cut that best
 * explains the recording as the reply up to the cut, then silence, judged on 10 ms loudness.
 */
function cutInRecording(heard: Int16Array, offset: number): number {
  const window = 240;
  const source = envelope(reply.pcm24k, window);
  const recorded = envelope(heard, window);
  const first = Math.round(offset / window);
  const at = (w: number): number => recorded[first + w] ?? 0;
  let best = { cut: 0, error: Infinity };
  for (let cut = 0; cut <= source.length; cut++) {
    let error = 0;
    for (let w = 0; w < source.length; w++) error += Math.abs(at(w) - (w < cut ? source[w]! : 0));
    if (error < best.error) best = { cut, error };
  }
  return (best.cut * window * 1000) / RATE;
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
    const replyMs = (reply.pcm24k.length * 1000) / RATE;
    const endMs = Number(truncate.audio_end_ms);
    expect(Number.isInteger(truncate.audio_end_ms)).toBe(true);
    // The tap came seconds into a longer reply.
    expect(endMs).toBeGreaterThan(1000);
    expect(endMs).toBeLessThan(replyMs - 1000);

    // What came out of the speaker is the reply's start, up to where the truncate says it stopped.
    const played = align(reply.pcm24k.subarray(0, Math.round((endMs * RATE) / 1000)), heard);
    const detail = describeAlignment(reply.pcm24k, heard, played);
    expect(played.correlation, detail).toBeGreaterThan(0.9);
    const cutMs = cutInRecording(heard, played.offsetSamples);
    // Measured on 10 ms windows; a cut inside a pause between words could sit anywhere in it.
    expect(Math.abs(cutMs - endMs), `${detail}\ncut heard at ${cutMs} ms, truncated at ${endMs} ms`).toBeLessThanOrEqual(120);
    // Nothing of the reply after the cut came out.
    const afterCut = heard.subarray(played.offsetSamples + Math.round(((endMs + 150) * RATE) / 1000));
    expect(rms(afterCut), detail).toBeLessThan(50);
    expect(server.protocolViolations).toEqual([]);
  });
});
