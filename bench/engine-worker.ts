/**
 * The engine under measurement, in a process of its own so its CPU figures hold only its
 * own work: the real naudiodon mic and speaker (PulseAudio null sinks), the real Realtime
 * backend and the real VoiceSession. The bench presses and releases the key by calling the
 * session directly, as PushToTalkKey does: key events through Xvfb would only add xdotool's
 * process start-up to the figures.
 *
 * Times are epoch milliseconds with sub-millisecond precision, comparable across processes.
 */
import { defaultSettings } from '../src/shared/settings';
import { NaudiodonMicrophone } from '../src/main/audio/naudiodon-microphone';
import { NaudiodonSpeaker } from '../src/main/audio/naudiodon-speaker';
import { RealtimeBackend } from '../src/main/backends/realtime/realtime-backend';
import { VoiceSession } from '../src/main/session/voice-session';
import type { EngineEvent } from '../src/shared/engine-events';
import type { BenchCommand, BenchReply } from './bench-protocol';

const now = (): number => performance.timeOrigin + performance.now();
const log = (message: string): void => {
  if (process.env.PARLEY_BENCH_VERBOSE) process.stderr.write(`[engine] ${message}\n`);
};
const send = (reply: BenchReply): void => {
  process.send?.(reply);
};

let session: VoiceSession | null = null;
let mic: NaudiodonMicrophone | null = null;
let speaker: NaudiodonSpeaker | null = null;
let backend: RealtimeBackend | null = null;
let cpuMark: { usage: NodeJS.CpuUsage; at: number } | null = null;
let pressedAt = 0;

/** The capture settings the bench runs with: the defaults a new user gets. */
const capture = defaultSettings().capture;

async function start(url: string): Promise<void> {
  mic = new NaudiodonMicrophone({ deviceName: null, log });
  speaker = new NaudiodonSpeaker({ deviceName: null, log });
  backend = new RealtimeBackend({ url, model: 'bench', voice: 'marin', instructions: '', apiKey: 'bench', log });
  await Promise.all([mic.open(), speaker.open()]);
  const instrumentedBackend = backend;
  // Each append: how old its newest sample is when it goes on the wire.
  const append = instrumentedBackend.appendAudio.bind(instrumentedBackend);
  instrumentedBackend.appendAudio = (pcm: Int16Array) => {
    append(pcm);
    if (session) send({ type: 'append', ageMs: performance.now() - session.lastAppendCapturedAt });
  };
  const finish = instrumentedBackend.finishTurn.bind(instrumentedBackend);
  instrumentedBackend.finishTurn = () => {
    const outcome = finish();
    send({ type: 'commit', at: now(), outcome });
    return outcome;
  };
  const firstAudio = new Set<string>();
  instrumentedBackend.on((event) => {
    if (event.type === 'assistant-audio' && !firstAudio.has(event.itemId)) {
      firstAudio.add(event.itemId);
      send({ type: 'first-audio-received', itemId: event.itemId, at: now() });
    }
  });
  speaker.onPlaybackStarted((itemId, at) => send({ type: 'playback-started', itemId, at: performance.timeOrigin + at }));
  const stop = speaker.stop.bind(speaker);
  speaker.stop = () => {
    const heard = stop();
    send({ type: 'playback-stopped', at: now(), heard });
    return heard;
  };
  session = new VoiceSession({
    backend,
    mic,
    speaker,
    capture: { ...capture },
    emit: (event: EngineEvent) => {
      if (event.type === 'state') send({ type: 'state', state: event.state, at: now() });
      if (event.type === 'error') send({ type: 'engine-error', message: event.message });
    },
    log,
  });
  session.announce();
  await backend.connect();
}

process.on('message', (message: BenchCommand) => {
  void handle(message).catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});

async function handle(command: BenchCommand): Promise<void> {
  switch (command.type) {
    case 'start':
      await start(command.url);
      send({ type: 'started', postRollMs: capture.postRollMs, micPeriodMs: mic!.periodMs, speakerPeriodMs: speaker!.periodMs });
      return;
    case 'press':
      pressedAt = now();
      send({ type: 'pressed', at: pressedAt });
      session?.press();
      return;
    case 'release': {
      const releasedAt = now();
      send({ type: 'released', at: releasedAt });
      // The recorder's clock is performance.now(), the clock captured frames are stamped with.
      session?.release({ heldMs: releasedAt - pressedAt, releasedAt: performance.now() });
      return;
    }
    case 'cpu-mark':
      cpuMark = { usage: process.cpuUsage(), at: performance.now() };
      send({ type: 'cpu-marked' });
      return;
    case 'cpu-read': {
      if (!cpuMark) throw new Error('cpu-read before cpu-mark');
      const used = process.cpuUsage(cpuMark.usage);
      const elapsedMs = performance.now() - cpuMark.at;
      send({ type: 'cpu', percentOfOneCore: ((used.user + used.system) / 1000 / elapsedMs) * 100 });
      return;
    }
    case 'memory': {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
      globalThis.gc?.();
      const memory = process.memoryUsage();
      send({ type: 'memory', heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external, arrayBuffers: memory.arrayBuffers });
      return;
    }
    case 'stop':
      session?.dispose();
      await backend?.dispose();
      await Promise.all([mic?.dispose(), speaker?.dispose()]);
      send({ type: 'stopped' });
      setTimeout(() => process.exit(0), 50);
      return;
  }
}
