import { spawn } from 'node:child_process';
import { NaudiodonMicrophone } from '../src/main/audio/naudiodon-microphone';
import { NaudiodonSpeaker } from '../src/main/audio/naudiodon-speaker';
import { ROOM_CONTEXT_MS } from '../src/main/session/trailing-silence';

/** One scenario of bench/audio-cpu.ts, run in a child process whose PULSE_SERVER is already set. */

/** Shared with bench/audio-cpu.ts, which sends a Scenario and reads back the Figures. */
export interface Scenario {
  name: string;
  micPeriodMs?: number;
  speakerPeriodMs?: number;
}

export interface Figures {
  cpuPercent?: number;
  /** Extra measurements some scenarios take, in ms. */
  extra?: Record<string, number>;
}

const log = (): void => undefined;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const SETTLE_MS = 2000;
/**
 * V8's memory reducer runs a series of GCs some seconds after a process starts (here ~1–1.5 % of
 * a core between 4 and 12 s, even in an empty script). The app pays that once at start-up; the
 * figures here are the steady state, so no window starts before this age.
 */
const STEADY_AFTER_MS = 14_000;

export async function runScenario(scenario: Scenario, seconds: number, speakerSink: string): Promise<Figures> {
  const windowMs = seconds * 1000;
  const mic = new NaudiodonMicrophone({ deviceName: null, log, periodMs: scenario.micPeriodMs });
  const speaker = new NaudiodonSpeaker({ deviceName: null, log, periodMs: scenario.speakerPeriodMs, idleCloseMs: Infinity });
  mic.onFrames(() => undefined); // listening means frames delivered to someone, as in the app
  try {
    switch (scenario.name) {
      case 'nothing open':
        return { cpuPercent: await measureCpu(windowMs) };
      case 'mic idle (not listening)':
      case 'idle: warm mic, speaker closed':
        await mic.open();
        await sleep(SETTLE_MS);
        return { cpuPercent: await measureCpu(windowMs) };
      case 'mic listening':
        return await micListening(mic, windowMs);
      case 'speaker open, silent':
        await speaker.open();
        await sleep(SETTLE_MS);
        return { cpuPercent: await measureCpu(windowMs) };
      case 'speaker playing':
        await speaker.open();
        return { cpuPercent: await whilePlaying(speaker, windowMs) };
      case 'speaker stop tail':
        return { extra: { 'heard after stop()': await stopTail(speaker, speakerSink) } };
      case 'speaker idle-closed':
        return await idleClosed(windowMs);
      case 'speaker reopen on play':
        await mic.open(); // as in the app: PortAudio is already up because the warm mic holds it.
        return { extra: { 'play() on a closed speaker → first sample handed': await reopenLatency() } };
      case 'holding: mic listening, speaker open':
        await Promise.all([mic.open(), speaker.open()]);
        mic.setListening(true);
        await sleep(SETTLE_MS);
        return { cpuPercent: await measureCpu(windowMs) };
      case 'speaking: warm mic, speaker playing':
        await Promise.all([mic.open(), speaker.open()]);
        return { cpuPercent: await whilePlaying(speaker, windowMs) };
      default:
        throw new Error(`unknown scenario ${scenario.name}`);
    }
  } finally {
    await Promise.all([mic.dispose(), speaker.dispose()]);
  }
}

async function measureCpu(windowMs: number, during?: () => void): Promise<number> {
  // performance.now() counts from the start of the process.
  await sleep(Math.max(0, STEADY_AFTER_MS - performance.now()));
  const start = process.cpuUsage();
  const startedAt = performance.now();
  during?.();
  await sleep(windowMs);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) / 1000 / (performance.now() - startedAt)) * 100;
}

async function micListening(mic: NaudiodonMicrophone, windowMs: number): Promise<Figures> {
  await mic.open();
  await sleep(SETTLE_MS); // fills the 1 s backlog
  const startedAt = performance.now();
  // What a key press does: the pre-roll and the room's context out of the backlog, then live frames.
  const recent = mic.takeRecent(ROOM_CONTEXT_MS);
  mic.setListening(true);
  const activationMs = performance.now() - startedAt;
  if (recent.pcm.length === 0) throw new Error('takeRecent() handed over no backlog');
  return { cpuPercent: await measureCpu(windowMs), extra: { 'key-down: takeRecent(1 s) + setListening(true)': activationMs } };
}

function tone(samples: number, startAt: number): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (startAt + i)) / 24_000));
  return out;
}

/** Streams a reply the way deltas arrive: a burst ahead, then 100 ms pieces every 100 ms. */
async function whilePlaying(speaker: NaudiodonSpeaker, windowMs: number): Promise<number> {
  let sent = 0;
  const send = (ms: number): void => {
    const samples = 24 * ms;
    speaker.play('item_bench', tone(samples, sent));
    sent += samples;
  };
  send(1000);
  await sleep(SETTLE_MS / 2);
  const feeder = setInterval(() => send(100), 100);
  try {
    return await measureCpu(windowMs);
  } finally {
    clearInterval(feeder);
  }
}

async function stopTail(speaker: NaudiodonSpeaker, speakerSink: string): Promise<number> {
  await speaker.open();
  const chunks: Buffer[] = [];
  const recorder = spawn('parec', ['-d', `${speakerSink}.monitor`, '--raw', '--format=s16le', '--rate=24000', '--channels=1', '--latency-msec=10'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  recorder.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const recorded = (): Int16Array => {
    const all = Buffer.concat(chunks);
    return new Int16Array(all.buffer, all.byteOffset, Math.floor(all.byteLength / 2));
  };
  const loudSince = (pcm: Int16Array): number => {
    for (let i = 0; i < pcm.length; i++) if (Math.abs(pcm[i]) > 1000) return pcm.length - i;
    return 0;
  };
  await sleep(500);
  speaker.play('item_tone', tone(24_000 * 5, 0));
  while (loudSince(recorded()) < 24_000) await sleep(5);
  const heardAtStop = loudSince(recorded());
  speaker.stop();
  const lengthAtStop = recorded().length;
  while (recorded().length < lengthAtStop + 12_000) await sleep(10);
  recorder.kill('SIGINT');
  const all = recorded();
  let end = all.length;
  while (end > 0 && Math.abs(all[end - 1]) <= 1000) end--;
  const toneOut = loudSince(all.subarray(0, end));
  return (toneOut - heardAtStop) / 24;
}

async function idleClosed(windowMs: number): Promise<Figures> {
  const speaker = new NaudiodonSpeaker({ deviceName: null, log, idleCloseMs: 500 });
  try {
    await speaker.open();
    while (speaker.isOpen) await sleep(50);
    return { cpuPercent: await measureCpu(windowMs) };
  } finally {
    await speaker.dispose();
  }
}

async function reopenLatency(): Promise<number> {
  const speaker = new NaudiodonSpeaker({ deviceName: null, log, idleCloseMs: 300 });
  try {
    await speaker.open();
    while (speaker.isOpen) await sleep(50);
    const startedAt = performance.now();
    const handed = new Promise<number>((resolve) => speaker.onPlaybackStarted((_item, at) => resolve(at)));
    speaker.play('item_after_close', tone(2400, 0));
    return (await handed) - startedAt;
  } finally {
    await speaker.dispose();
  }
}
