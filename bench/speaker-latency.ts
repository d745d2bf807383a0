import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NaudiodonSpeaker } from '../src/main/audio/naudiodon-speaker';
import { startPulseServer, SPEAKER_SINK } from '../test/support/pulse-server';
import { formatTable, summarize, type Figure } from './figures';
import { MONITOR_RATE, MonitorRecording } from './monitor-recording';

/**
 * The speaker timed where the user hears it: the speaker sink's monitor, recorded with parec and
 * put on this process's clock (see MonitorRecording). Each turn plays a reply, then stops it:
 *   play() of the first delta → its first sound, and stop() (the barge-in) → silence,
 * beside the same for `aplay -D pulse` on the same device in the same run (the tone written to an
 * aplay already waiting on stdin; aplay killed for the stop). Also checks stop()'s heard count
 * against the tone length recorded, and CPU while speaking against aplay playing the same audio.
 *   npx tsx bench/speaker-latency.ts [--period 10]   (alone, with its own PulseAudio)
 * `npm run bench` runs it in a child process, whose PULSE_SERVER is set before PortAudio loads.
 */

const TURNS = 11; // the first is a warm-up and is not counted
const LOUD = 1000;
const QUIET = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tone(seconds: number, hz = 440): Int16Array {
  const out = new Int16Array(Math.round(24_000 * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / 24_000));
  return out;
}

interface Timings {
  start: number[];
  stop: number[];
  /** Recorded tone length minus the heard count stop() reported, in ms. */
  heardError: number[];
}

async function timeSpeaker(recording: MonitorRecording, speaker: NaudiodonSpeaker): Promise<Timings> {
  const timings: Timings = { start: [], stop: [], heardError: [] };
  const reply = tone(1);
  for (let turn = 0; turn < TURNS; turn++) {
    await sleep(300 + Math.random() * 50);
    const playAt = performance.now();
    // As a reply arrives: 100 ms deltas, the first one timed.
    for (let offset = 0; offset < reply.length; offset += 2400) speaker.play(`item_${turn}`, reply.subarray(offset, offset + 2400));
    await sleep(450 + Math.random() * 50);
    const stopAt = performance.now();
    const heard = speaker.stop();
    await recording.waitFor(400);
    const first = recording.firstLoudAfter(playAt - 20, LOUD);
    const end = recording.silenceAfter(stopAt, QUIET);
    if (turn === 0 || first < 0 || end < 0) continue;
    timings.start.push(recording.timeOf(first) - playAt);
    timings.stop.push(recording.timeOf(end) - stopAt);
    timings.heardError.push(((end - first) * 1000) / MONITOR_RATE - (heard?.audioEndMs ?? Number.NaN));
  }
  return timings;
}

/** aplay already running and waiting on stdin: write → first sound, kill → silence. */
async function timeAplay(recording: MonitorRecording): Promise<Timings> {
  const timings: Timings = { start: [], stop: [], heardError: [] };
  const reply = Buffer.from(tone(1).buffer);
  for (let turn = 0; turn < TURNS; turn++) {
    const aplay = spawnAplay([]);
    await sleep(500);
    const playAt = performance.now();
    aplay.stdin?.write(reply);
    await sleep(450 + Math.random() * 50);
    const stopAt = performance.now();
    aplay.kill('SIGKILL');
    await recording.waitFor(400);
    const first = recording.firstLoudAfter(playAt - 20, LOUD);
    const end = recording.silenceAfter(stopAt, QUIET);
    if (turn === 0 || first < 0 || end < 0) continue;
    timings.start.push(recording.timeOf(first) - playAt);
    timings.stop.push(recording.timeOf(end) - stopAt);
  }
  return timings;
}

function spawnAplay(extra: string[]): ChildProcess {
  const aplay = spawn('aplay', ['-q', '-D', 'pulse', '-t', 'raw', '-f', 'S16_LE', '-r', '24000', '-c', '1', ...extra], { stdio: ['pipe', 'ignore', 'ignore'] });
  aplay.stdin?.on('error', () => undefined);
  return aplay;
}

/** CPU (% of one core, every thread) of this process while the speaker plays, then of aplay playing the same audio. */
async function timeCpu(speaker: NaudiodonSpeaker, windowMs: number): Promise<{ speaker: number; aplay: number; aplayShort: number }> {
  const audio = tone(windowMs / 1000 + 2, 300);
  speaker.play('item_cpu', audio);
  await sleep(1000);
  const before = process.cpuUsage();
  const from = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(before);
  const ours = (used.user + used.system) / 10 / (performance.now() - from);
  speaker.stop();
  const aplayCpu = async (extra: string[]): Promise<number> => {
    const aplay = spawnAplay(extra);
    aplay.stdin?.end(Buffer.from(audio.buffer));
    await sleep(1000);
    const ticks = (): number => {
      const fields = readFileSync(`/proc/${aplay.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in 10 ms ticks
    };
    const start = ticks();
    const at = performance.now();
    await sleep(windowMs);
    const percent = ((ticks() - start) * 10 * 100) / (performance.now() - at);
    aplay.kill('SIGKILL');
    return percent;
  };
  return { speaker: ours, aplay: await aplayCpu([]), aplayShort: await aplayCpu(['--period-time=10000', '--buffer-time=40000']) };
}

/** Runs in a child process with PULSE_SERVER set. */
async function measure(periodMs: number | undefined): Promise<Figure[]> {
  const speaker = new NaudiodonSpeaker({ deviceName: null, log: () => undefined, periodMs, idleCloseMs: Infinity });
  const recording = new MonitorRecording(`${SPEAKER_SINK}.monitor`);
  try {
    await speaker.open();
    const ours = await timeSpeaker(recording, speaker);
    // The speaker stays open (feeding silence), as it is after a key-down: the sink keeps running.
    const reference = await timeAplay(recording);
    await recording.stop();
    const cpu = await timeCpu(speaker, 8000);
    const median = (values: number[]): number => summarize('', '', values, 0).value;
    // PulseAudio rewinds its sink for a native client's new stream and drops a killed one's
    // buffer, so aplay's figures are near 0 ms here; a ratio to that would be noise.
    const beside = (values: number[], ref: number[]): string =>
      `aplay -D pulse ${median(ref).toFixed(1)} ms` + (median(ref) >= 1 ? `, ratio ${(median(values) / median(ref)).toFixed(2)}` : `, +${(median(values) - median(ref)).toFixed(0)} ms`);
    const period = `${speaker.periodMs} ms periods`;
    return [
      summarize(`speaker, ${period}: play() → first sound at the device (${beside(ours.start, reference.start)})`, 'ms', ours.start, 60),
      summarize(`speaker, ${period}: stop() → silence at the device (${beside(ours.stop, reference.stop)})`, 'ms', ours.stop, 60),
      summarize(`speaker: tone recorded − stop()'s heard count`, 'ms', ours.heardError.map(Math.abs), 1),
      {
        name: `CPU, speaker playing (aplay -D pulse ${cpu.aplay.toFixed(2)} %, ratio ${(cpu.speaker / cpu.aplay).toFixed(2)}; with 10 ms periods ${cpu.aplayShort.toFixed(2)} %)`,
        unit: '% of a core',
        value: cpu.speaker,
        target: 1.5 * cpu.aplay,
      },
    ];
  } finally {
    await recording.stop();
    await speaker.dispose();
  }
}

/** For bench/run.ts: the figures, measured in a child process on the given PulseAudio server. */
export function benchSpeakerLatency(pulseServer: string, periodMs?: number): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    const args = ['--child', ...(periodMs === undefined ? [] : ['--period', String(periodMs)])];
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      env: { ...process.env, PULSE_SERVER: pulseServer },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let figures: Figure[] | undefined;
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('message', (message) => (figures = message as Figure[]));
    child.on('exit', (code) => (figures === undefined ? reject(new Error(`speaker latency bench exited with ${code}:\n${stderr}`)) : resolve(figures)));
  });
}

const argv = process.argv.slice(2);
const period = argv.includes('--period') ? Number(argv[argv.indexOf('--period') + 1]) : undefined;
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (argv.includes('--child')) {
    process.send?.(await measure(period));
    process.exit(0);
  } else {
    const pulse = await startPulseServer();
    try {
      process.stdout.write(`${formatTable(await benchSpeakerLatency(pulse.serverAddress, period))}\n`);
    } finally {
      pulse.stop();
    }
  }
}
