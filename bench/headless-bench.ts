import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { keyDown, keyUp, sleep } from '../test/support/devices';
import { MIC_SOURCE } from '../test/support/pulse-server';
import { startRealtimeServer, voiceLikeReply } from '../test/support/realtime-server';
import { startXvfb } from '../test/support/xvfb';
import { summarize, type Figure } from './figures';
import { isRunning, processTree } from '../test/support/process-tree';
import { markCpu, type TreeCpu } from './process-tree-cpu';

/**
 * The whole `npm run -s headless` process tree, launched exactly as the README says:
 * - its CPU beside `arecord -D pulse` capturing the same device at the same rate and period,
 *   measured over the same window in the same run. Absolute percentages on a shared machine
 *   swing by 2× from run to run; the ratio is the figure that counts.
 * - how soon a microphone that stops delivering (its PulseAudio source suspended) is reported.
 *
 *   npx tsx bench/headless-bench.ts [--seconds 30] [--command "node out/cli.js"]   (starts its own PulseAudio)
 */

const HOTKEY = 'F9';
/**
 * V8's memory reducer runs a series of GCs in the first ~12 s of any Node process (1–1.5 % of a
 * core). The app pays that once at start-up; these figures are the steady state.
 */
const STEADY_AFTER_MS = 15_000;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface HeadlessFigures {
  idle: { parley: TreeCpu; reference: TreeCpu };
  holding: { parley: TreeCpu; reference: TreeCpu };
  capture: { sampleRate: number; framesPerPeriod: number };
  /** Source suspended → `mic-unavailable` on stdout, per trial. */
  micLossMs: number[];
}
const MIC_LOSS_TRIALS = 5;

/** Needs PULSE_SERVER in `env` (the virtual mic is the default source). */
export async function benchHeadless(env: NodeJS.ProcessEnv, windowMs: number, command = DEFAULT_COMMAND): Promise<HeadlessFigures> {
  const display = await startXvfb();
  // xdotool reads the display from this process's environment.
  process.env.DISPLAY = display.display;
  const server = await startRealtimeServer({ replyAudio: voiceLikeReply(0.5), paceAudio: true, replyText: 'Ok.' });
  const parley = launchHeadless(command, { ...env, DISPLAY: display.display, OPENAI_API_KEY: 'bench' }, server.url);
  let arecord: ChildProcess | null = null;
  try {
    const launchedAt = performance.now();
    await parley.idle;
    const capture = await parley.micOpened;
    // The same job natively: the same device through the same ALSA pulse plugin, same rate and period.
    arecord = spawn(
      'arecord',
      ['-q', '-D', 'pulse', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(capture.sampleRate), `--period-size=${capture.framesPerPeriod}`],
      { env: { ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await sleep(Math.max(2000, STEADY_AFTER_MS - (performance.now() - launchedAt)));

    const idle = await measureSideBySide(parley.process.pid!, arecord.pid!, windowMs);

    await keyDown(HOTKEY);
    await sleep(1000);
    const holding = await measureSideBySide(parley.process.pid!, arecord.pid!, windowMs);
    await keyUp(HOTKEY);
    await sleep(3000); // the turn's reply
    const micLossMs: number[] = [];
    for (let trial = 0; trial < MIC_LOSS_TRIALS; trial++) micLossMs.push(await timeMicLoss(parley, env));
    return { idle, holding, capture, micLossMs };
  } finally {
    arecord?.kill('SIGTERM');
    await parley.stop();
    await server.close();
    display.stop();
  }
}

/**
 * Suspends the mic's source, times how soon Parley says so, and resumes it. NaN when the mic was
 * not live to begin with or nothing was reported within 10 s (a starved machine, or a bug).
 */
async function timeMicLoss(parley: LaunchedHeadless, env: NodeJS.ProcessEnv): Promise<number> {
  const pactl = (...args: string[]): void => void execFileSync('pactl', args, { env });
  const micIsLive = (): boolean => {
    const last = parley.lines.findLast((line) => /microphone: (opened|sound is back|no audio|closed)/.test(line.text));
    return last !== undefined && /opened|sound is back/.test(last.text);
  };
  if (!micIsLive()) return Number.NaN;
  const from = parley.lines.length;
  const suspendedAt = performance.now();
  pactl('suspend-source', MIC_SOURCE, '1');
  try {
    const reported = await parley.nextLine((line) => line.includes('"code":"mic-unavailable"'), from, 10_000);
    return reported - suspendedAt;
  } catch {
    return Number.NaN;
  } finally {
    pactl('suspend-source', MIC_SOURCE, '0');
    for (let waited = 0; !micIsLive() && waited < 10_000; waited += 100) await sleep(100);
    await sleep(1000);
  }
}

export function headlessFigures(figures: HeadlessFigures): Figure[] {
  const row = (name: string, pair: { parley: TreeCpu; reference: TreeCpu }, target: number): Figure => ({
    name: `${name}: Parley ${pair.parley.percent.toFixed(2)} % / arecord ${pair.reference.percent.toFixed(2)} %`,
    unit: '× arecord',
    value: pair.parley.percent / pair.reference.percent,
    target,
  });
  return [
    row('CPU, idle with a warm mic, whole tree', figures.idle, 1.25),
    row('CPU, holding the key, whole tree', figures.holding, 1.5),
    summarize('mic source suspended → mic-unavailable reported', 'ms', figures.micLossMs.filter(Number.isFinite), 1000),
  ];
}

/** One line per process, so a regression shows where it is. */
export function describeBreakdown(figures: HeadlessFigures): string {
  const lines = [`capture: ${figures.capture.sampleRate} Hz, ${figures.capture.framesPerPeriod} frames per period`];
  for (const [name, pair] of [
    ['idle', figures.idle],
    ['holding', figures.holding],
  ] as const) {
    lines.push(`${name} (${(pair.parley.windowMs / 1000).toFixed(0)} s): Parley tree ${pair.parley.percent.toFixed(2)} %, arecord ${pair.reference.percent.toFixed(2)} %`);
    for (const entry of pair.parley.perProcess) lines.push(`  ${entry.percent.toFixed(3).padStart(7)} %  ${entry.pid} ${entry.label}`);
  }
  lines.push(`mic source suspended → mic-unavailable, each trial: ${figures.micLossMs.map((ms) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'none')).join(', ')}`);
  return lines.join('\n');
}

async function measureSideBySide(parleyRoot: number, arecordPid: number, windowMs: number): Promise<{ parley: TreeCpu; reference: TreeCpu }> {
  const parley = markCpu(processTree(parleyRoot));
  const reference = markCpu([arecordPid]);
  await sleep(windowMs);
  return { parley: parley.read(), reference: reference.read() };
}

interface LaunchedHeadless {
  process: ChildProcess;
  /** Every line of stdout and stderr, in arrival order, with `performance.now()` at arrival. */
  lines: { text: string; at: number }[];
  /** Resolves with the arrival time of the first line at or after index `from` that matches. */
  nextLine(match: (line: string) => boolean, from: number, timeoutMs?: number): Promise<number>;
  idle: Promise<void>;
  micOpened: Promise<{ sampleRate: number; framesPerPeriod: number }>;
  stop(): Promise<void>;
}

/** As the README says; `--command "node …"` measures another way of running it. */
const DEFAULT_COMMAND = ['npm', 'run', '-s', 'headless', '--'];

function launchHeadless(command: string[], env: NodeJS.ProcessEnv, url: string): LaunchedHeadless {
  const child = spawn(command[0]!, [...command.slice(1), '--url', url, '--hotkey', HOTKEY], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { text: string; at: number }[] = [];
  const waiters = new Set<() => void>();
  for (const input of [child.stdout!, child.stderr!]) {
    createInterface({ input }).on('line', (text) => {
      if (process.env.PARLEY_BENCH_VERBOSE || text.includes('"type":"error"')) process.stderr.write(`headless: ${text}\n`);
      lines.push({ text, at: performance.now() });
      for (const wake of waiters) wake();
    });
  }
  const nextLine = (match: (line: string) => boolean, from: number, timeoutMs = 30_000): Promise<number> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines.slice(from).find((line) => match(line.text));
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found.at);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`bench: headless printed no matching line within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const idle = nextLine((line) => line.includes('"state":"idle"'), 0, 60_000).then(() => undefined);
  const micOpened = nextLine((line) => line.includes('microphone: opened'), 0, 60_000).then(() => {
    const opened = /microphone: opened .* at (\d+) Hz, (\d+) frames per period/.exec(lines.find((line) => line.text.includes('microphone: opened'))!.text)!;
    return { sampleRate: Number(opened[1]), framesPerPeriod: Number(opened[2]) };
  });
  return {
    process: child,
    lines,
    nextLine,
    idle,
    micOpened,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const tree = processTree(child.pid!);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      // Every process of the tree should be gone within 5 s (the tests check that); the bench only must not leave one behind.
      const deadline = performance.now() + 5000;
      while (tree.some(isRunning) && performance.now() < deadline) await sleep(100);
      for (const pid of tree.filter(isRunning)) {
        process.stderr.write(`bench: process ${pid} outlived npm by 5 s; killing it\n`);
        process.kill(pid, 'SIGKILL');
      }
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startPulseServer } = await import('../test/support/pulse-server');
  const { formatTable } = await import('./figures');
  const flag = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const seconds = Number(flag('--seconds') ?? 30);
  const command = flag('--command')?.split(' ');
  const pulse = await startPulseServer();
  try {
    const figures = await benchHeadless({ ...process.env, PULSE_SERVER: pulse.serverAddress }, seconds * 1000, command);
    process.stdout.write(`${describeBreakdown(figures)}\n\n${formatTable(headlessFigures(figures))}\n`);
  } finally {
    pulse.stop();
  }
}
