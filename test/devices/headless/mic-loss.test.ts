import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyDown, keyUp, sleep, speakIntoMic } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { MIC_SINK, MIC_SOURCE } from '../../support/pulse-server';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../../support/speech';

/**
 * The microphone goes away while headless Parley is idle, on the private PulseAudio the device
 * tests share: its source is suspended (it stays there and delivers nothing, like a device that
 * hangs or is switched off) or removed outright (unloaded; PulseAudio moves the stream elsewhere
 * a second or so later). Parley must say so at once, send nothing of what it heard before, and
 * work again when the device is back. Every test restores the source.
 */
const HOTKEY = 'F9';
/** A sink made for the removal test, whose monitor delivers nothing. */
const VOID_SINK = 'parley_test_void';
let server: RealtimeTestServer;
let parley: HeadlessProcess;
let question: SpeechClip;

const pactl = (...args: string[]): string => execFileSync('pactl', args, { encoding: 'utf8' });
const commits = (): number => server.clientEvents.filter((event) => event.type === 'input_audio_buffer.commit').length;

function removeMicSource(): void {
  const module = pactl('list', 'short', 'modules')
    .split('\n')
    .find((line) => line.includes('module-remap-source') && line.includes(`source_name=${MIC_SOURCE}`));
  if (module === undefined) throw new Error(`no module for ${MIC_SOURCE}`);
  pactl('unload-module', module.split('\t')[0]!);
}

function restoreMicSource(): void {
  if (!pactl('list', 'short', 'sources').includes(`${MIC_SOURCE}\t`)) {
    pactl('load-module', 'module-remap-source', `source_name=${MIC_SOURCE}`, `master=${MIC_SINK}.monitor`);
  }
  pactl('suspend-source', MIC_SOURCE, '0');
  pactl('set-default-source', MIC_SOURCE);
}

beforeAll(async () => {
  question = makeSpeech('Can you hear me now?');
  server = await startRealtimeServer({ apiKey: 'test-key', replyText: 'Yes.', userTranscript: () => 'Can you hear me now?' });
  parley = new HeadlessProcess(['--url', server.url, '--model', 'gpt-realtime', '--hotkey', HOTKEY], { OPENAI_API_KEY: 'test-key' });
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  await sleep(1000); // a full backlog: what a stale pre-roll would be sent from
});

afterAll(async () => {
  restoreMicSource();
  await parley?.stop();
  await server?.close();
});

/** Holds the key for about a second while speech plays into the (virtual) mic; waits until Parley has settled. */
async function holdAndSpeak(): Promise<number> {
  const from = parley.events.length;
  await keyDown(HOTKEY);
  await speakIntoMic(question.wavPath);
  await keyUp(HOTKEY);
  // Longer than the post-roll and its fallback: a late commit would be on the wire by now.
  await sleep(1500);
  return from;
}

describe('a microphone that goes away while Parley is idle', () => {
  it('is reported when it stops delivering; a hold then sends nothing; once back, a hold works', async () => {
    const from = parley.events.length;
    const commitsBefore = commits();
    pactl('suspend-source', MIC_SOURCE, '1');
    const reported = await parley.waitFor((e) => e.type === 'error' && e.code === 'mic-unavailable', 10_000, from);
    expect(String(reported.event.message)).toMatch(/microphone/i);

    await holdAndSpeak();
    expect(commits()).toBe(commitsBefore);
    expect(server.turns.length).toBe(0);

    // The hold was refused with the reason, so Parley never left idle.
    expect(parley.events.slice(from).filter((e) => e.type === 'error' && e.code === 'mic-unavailable').length).toBeGreaterThan(1);
    expect(parley.states().at(-1)).toBe('idle');

    restoreMicSource();
    await sleep(1000);
    await holdAndSpeak();
    await server.waitFor((event) => event.type === 'input_audio_buffer.commit', 10_000);
    expect(commits()).toBe(commitsBefore + 1);
    expect(server.turns.at(-1)!.audio.length).toBeGreaterThan(24_000 * 0.5);
    // The reply is over before the next test: its speaker would otherwise keep the mic's stream alive.
    const answered = await parley.waitFor((e) => e.type === 'transcript' && e.role === 'assistant' && e.final === true, 30_000, from);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, answered.index);
  });

  it('is reported when its source is removed from the sound server, and a hold works once it is back', async () => {
    // With Parley's speaker open, PulseAudio moves the orphaned stream at once to the speaker's
    // monitor, which then delivers (silence), and nothing is lost to notice. With it closed, as
    // when idle, the stream waits about a second and a half for a new source.
    const speakerClosed = (): boolean => parley.stderr.lastIndexOf('speaker: closed') > parley.stderr.lastIndexOf('speaker: opened');
    while (!speakerClosed()) await sleep(200);
    const from = parley.events.length;
    const turnsBefore = server.turns.length;
    // Where PulseAudio moves the stream is the default source. Any source left here may deliver
    // (the mic sink's monitor carries room tone; the speaker's monitor does while the sink still
    // runs), which would hide the loss: the stream goes to a sink's monitor that is suspended,
    // like an idle device that delivers nothing.
    const voidModule = pactl('load-module', 'module-null-sink', `sink_name=${VOID_SINK}`).trim();
    pactl('suspend-sink', VOID_SINK, '1');
    pactl('set-default-source', `${VOID_SINK}.monitor`);
    removeMicSource();
    await parley.waitFor((e) => e.type === 'error' && e.code === 'mic-unavailable', 10_000, from).catch((error: unknown) => {
      throw new Error(`${String(error)}\nplaying: ${pactl('list', 'short', 'sink-inputs')}\nrecording: ${pactl('list', 'short', 'source-outputs')}\nsources: ${pactl('list', 'short', 'sources')}`);
    });

    restoreMicSource();
    pactl('unload-module', voidModule);
    await sleep(2000); // PulseAudio moves the stream back to the restored default source
    await holdAndSpeak();
    await server.waitFor((event) => event.type === 'input_audio_buffer.commit' && server.turns.length > turnsBefore, 10_000);
    expect(server.turns.length).toBe(turnsBefore + 1);
    expect(parley.strayLines).toEqual([]);
  });

  // A press in the ~0.6 s before the loss is noticed gets the last pre-roll, which is still
  // fresh, and nothing after it: the session sends nothing for a turn with no live audio.
  it('sends nothing for a hold that starts just as the mic stops', async () => {
    // A fresh backlog (the reply before has ended): what a stale pre-roll would be sent from.
    await sleep(1500);
    const from = parley.events.length;
    const commitsBefore = commits();
    pactl('suspend-source', MIC_SOURCE, '1');
    try {
      await holdAndSpeak();
      expect(commits()).toBe(commitsBefore);
      const micLines = parley.stderr.split('\n').filter((line) => line.includes('microphone:')).slice(-6).join('\n');
      const reported = parley.events.slice(from).some((e) => e.type === 'error' && e.code === 'mic-unavailable');
      expect(reported, `recording: ${pactl('list', 'short', 'source-outputs')}\nsources: ${pactl('list', 'short', 'sources')}\n${micLines}`).toBe(true);
    } finally {
      restoreMicSource();
      await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, parley.events.length - 1);
      await sleep(1000);
    }
  });
});
