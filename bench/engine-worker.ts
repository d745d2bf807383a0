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
import { Conversation } from '../src/main/session/conversation';
import { VoiceSession } from '../src/main/session/voice-session';
import type { EngineEvent } from '../src/shared/engine-events';
import type { BenchCommand, BenchReply } from './bench-protocol';
import { MeasuredBackend } from './measured-backend';

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
let backend: MeasuredBackend | null = null;
let cpuMark: { usage: NodeJS.CpuUsage; at: number } | null = null;
let pressedAt = 0;

/** The capture settings the bench runs with: the defaults a new user gets. */
const capture = defaultSettings().capture;

async function start(url: string): Promise<void> {
  mic = new NaudiodonMicrophone({ deviceName: null, log });
  speaker = new NaudiodonSpeaker({ deviceName: null, log });
  const conversation = new Conversation(() => undefined);
  const realtime = new RealtimeBackend({ url, model: 'bench', voice: 'marin', instructions: '', apiKey: 'bench', conversation, log });
  await Promise.all([mic.open(), speaker.open()]);
  backend = new MeasuredBackend(realtime, {
    committed: () => send({ type: 'commit', at: now() }),
    // The session calls this right after stopping the speaker, with what that stop reported.
    interrupted: (heard) => send({ type: 'playback-stopped', at: now(), heard }),
  });
  const firstAudio = new Set<string>();
  backend.on((event) => {
    if (event.type === 'assistant-audio' && !firstAudio.has(event.itemId)) {
      firstAudio.add(event.itemId);
      send({ type: 'first-audio-received', itemId: event.itemId, at: now() });
    }
  });
  speaker.onPlaybackStarted((itemId, at) => send({ type: 'playback-started', itemId, at: performance.timeOrigin + at }));
  session = new VoiceSession({
    backend,
    mic,
    speaker,
    capture: { ...capture },
    conversation,
    emit: (event: EngineEvent) => {
      if (event.type === 'state') send({ type: 'state', state: event.state, at: now() });
      if (event.type === 'error') send({ type: 'engine-error', message: event.message });
    },
    log,
    // Each append: how old its newest sample is when it goes to the backend, which sends it at once.
    onAudioSent: (capturedAt) => send({ type: 'append', ageMs: performance.now() - capturedAt }),
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
