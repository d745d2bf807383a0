/**
 * `npm run bench`: latency, CPU and memory of the engine on this machine, against loopback
 * servers and real PulseAudio devices. Prints a table and writes bench/results/latest.json.
 * Environment: PARLEY_BENCH_TURNS (memory turns, default 200), PARLEY_BENCH_VERBOSE=1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startPulseServer } from '../test/support/pulse-server';
import { startRealtimeServer, voiceLikeReply } from '../test/support/realtime-server';
import { benchChatAudio } from './chat-audio-bench';
import { benchHistory } from './history-bench';
import { benchToolCalls } from './tool-call-bench';
import { benchPostRoll } from './post-roll-bench';
import { benchChatSpeech } from './chat-speech-bench';
import { benchSpeakerLatency } from './speaker-latency';
import { EngineProcess } from './engine-process';
import { formatTable, summarize, type Figure } from './figures';
import { benchHeadless, describeBreakdown, headlessFigures } from './headless-bench';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const MEMORY_TURNS = Number(process.env.PARLEY_BENCH_TURNS ?? 200);
const LATENCY_TURNS = 6;

async function main(): Promise<void> {
  const pulse = await startPulseServer();
  const env = { ...process.env, PULSE_SERVER: pulse.serverAddress, UV_THREADPOOL_SIZE: '8' };
  const figures: Figure[] = [];
  try {
    const speaking = await startRealtimeServer({ replyAudio: voiceLikeReply(4), paceAudio: true, replyText: 'A four second answer.' });
    const engine = new EngineProcess(env);
    const started = await engine.request({ type: 'start', url: speaking.url }, 'started', 60_000);
    await engine.waitForState('idle', 0, 30_000);

    // Idle with a warm mic: long enough for the speaker to close itself, and past V8's
    // start-up garbage collection, which costs 1–1.5 % for the first ~12 s of any process.
    await sleep(15_000);
    await engine.request({ type: 'cpu-mark' }, 'cpu-marked');
    await sleep(10_000);
    const idleCpu = await engine.request({ type: 'cpu-read' }, 'cpu');

    // Holding the key: mic resampling and appends.
    const from = engine.replies.length;
    engine.send({ type: 'press' });
    await sleep(300);
    await engine.request({ type: 'cpu-mark' }, 'cpu-marked');
    await sleep(8000);
    const holdingCpu = await engine.request({ type: 'cpu-read' }, 'cpu');
    engine.send({ type: 'release' });
    // Speaking: the four-second reply, paced in real time by the server.
    await engine.waitForState('speaking', from);
    await engine.request({ type: 'cpu-mark' }, 'cpu-marked');
    await engine.waitForState('idle', from);
    const speakingCpu = await engine.request({ type: 'cpu-read' }, 'cpu');

    // Latency: turns with a barge-in during each reply.
    const firstAudioToDevice: number[] = [];
    const bargeInToStop: number[] = [];
    for (let turn = 0; turn < LATENCY_TURNS; turn++) {
      const start = engine.replies.length;
      engine.send({ type: 'press' });
      await sleep(600);
      await engine.request({ type: 'release' }, 'released');
      const received = await engine.next('first-audio-received', start);
      const played = await engine.next('playback-started', start, 30_000, (reply) => reply.itemId === received.itemId);
      firstAudioToDevice.push(played.at - received.at);
      await sleep(400);
      const pressed = await engine.request({ type: 'press' }, 'pressed');
      const stopped = await engine.next('playback-stopped', engine.replies.indexOf(pressed));
      bargeInToStop.push(stopped.at - pressed.at);
      await sleep(300);
      const next = engine.replies.length;
      engine.send({ type: 'release' });
      await engine.waitForState('idle', next, 30_000);
    }
    const appendAges = engine.replies.slice(0).flatMap((reply) => (reply.type === 'append' ? [reply.ageMs] : []));
    await engine.stop();
    await speaking.close();

    const micPeriod = started.micPeriodMs;
    const speakerPeriod = started.speakerPeriodMs;
    figures.push(
      summarize('newest captured sample’s age when its append is sent', 'ms', appendAges, 2 * micPeriod + 5),
      summarize('first reply audio received → first sample handed to naudiodon (sound: see speaker rows)', 'ms', firstAudioToDevice, 2 * speakerPeriod + 5),
      summarize('key-down during a reply → stop() called (silence: see speaker rows)', 'ms', bargeInToStop, 2 * speakerPeriod + 5),
      { name: 'CPU, idle with a warm mic', unit: '% of a core', value: idleCpu.percentOfOneCore, target: 1 },
      { name: 'CPU, holding the key', unit: '% of a core', value: holdingCpu.percentOfOneCore, target: 3 },
      { name: 'CPU, speaking a reply', unit: '% of a core', value: speakingCpu.percentOfOneCore, target: 3 },
    );

    // The whole headless process tree beside arecord on the same device, and a mic that stops.
    const headless = await benchHeadless(env, 30_000);
    process.stderr.write(`${describeBreakdown(headless)}\n`);
    figures.push(...headlessFigures(headless));

    figures.push(await benchMemory(env));
    figures.push(...(await benchChatAudio()));
    figures.push(...(await benchPostRoll(env)));
    figures.push(...(await benchChatSpeech()));
    figures.push(...(await benchSpeakerLatency(pulse.serverAddress)));
    figures.push(...(await benchToolCalls()));
    figures.push(...(await benchHistory()));
  } finally {
    pulse.stop();
  }

  process.stdout.write(`\n${formatTable(figures)}\n`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: (await import('node:os')).cpus().length };
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), machine, figures }, null, 2)}\n`);
  process.stdout.write('Written to bench/results/latest.json\n');
}

/** Heap and RSS after many short turns, against a server that answers at once. */
async function benchMemory(env: NodeJS.ProcessEnv): Promise<Figure> {
  const quick = await startRealtimeServer({ replyAudio: voiceLikeReply(0.1), paceAudio: false, replyText: 'Ok.' });
  const engine = new EngineProcess(env);
  await engine.request({ type: 'start', url: quick.url }, 'started', 60_000);
  await engine.waitForState('idle', 0, 30_000);
  const turn = async (): Promise<void> => {
    const from = engine.replies.length;
    engine.send({ type: 'press' });
    await sleep(130);
    engine.send({ type: 'release' });
    await engine.next('commit', from);
    await engine.waitForState('idle', from, 30_000);
  };
  for (let i = 0; i < 10; i++) await turn(); // warm-up: caches, JIT, buffers
  const before = await engine.request({ type: 'memory' }, 'memory');
  for (let i = 0; i < MEMORY_TURNS; i++) await turn();
  const after = await engine.request({ type: 'memory' }, 'memory');
  await engine.stop();
  await quick.close();
  const mb = (bytes: number): number => bytes / 1024 / 1024;
  const growth = mb(after.heapUsed + after.external - before.heapUsed - before.external);
  return {
    name: `memory growth over ${MEMORY_TURNS} turns (heap + external; RSS ${mb(after.rss - before.rss).toFixed(1)} MB)`,
    unit: 'MB',
    value: growth,
    target: 10,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
