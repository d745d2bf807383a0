import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startPulseServer, SPEAKER_SINK } from '../test/support/pulse-server';
import type { Figures, Scenario } from './audio-cpu-scenarios';

/**
 * CPU of the audio layer on real devices, through a private PulseAudio (the test one).
 *   npx tsx bench/audio-cpu.ts [--seconds 10] [--only mic-idle,speaker-playing]
 *
 * Each scenario runs in its own Node process, so one cannot leave threads or state behind for the
 * next, and naudiodon's native printf noise stays out of the table. CPU is process.cpuUsage()
 * (user + system, every thread: PortAudio's, ALSA's pulse plugin's, libuv's) over a window after
 * the devices have settled, as a percentage of one core.
 */


const SCENARIOS: Scenario[] = [
  { name: 'nothing open' },
  ...[20, 40, 60, 100].flatMap((micPeriodMs) => [
    { name: 'mic idle (not listening)', micPeriodMs },
    { name: 'mic listening', micPeriodMs },
  ]),
  ...[10, 20, 40].flatMap((speakerPeriodMs) => [
    { name: 'speaker open, silent', speakerPeriodMs },
    { name: 'speaker playing', speakerPeriodMs },
    { name: 'speaker stop tail', speakerPeriodMs },
  ]),
  { name: 'speaker idle-closed' },
  { name: 'speaker reopen on play' },
  // What the targets are about, with the defaults: idle = warm mic; holding = mic listening + speaker readied at key-down.
  { name: 'idle: warm mic, speaker closed' },
  { name: 'holding: mic listening, speaker open' },
  { name: 'speaking: warm mic, speaker playing' },
];

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};

if (flag('--scenario') !== undefined) {
  const { runScenario } = await import('./audio-cpu-scenarios');
  const scenario = JSON.parse(flag('--scenario') ?? '{}') as Scenario;
  const figures = await runScenario(scenario, Number(flag('--seconds') ?? 10), SPEAKER_SINK);
  process.send?.(figures);
  process.exit(0);
} else {
  await main();
}

async function main(): Promise<void> {
  const seconds = Number(flag('--seconds') ?? 10);
  const only = flag('--only')?.split(',');
  const pulse = await startPulseServer();
  const rows: string[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (only && !only.some((part) => scenario.name.includes(part))) continue;
      const label = [
        scenario.name,
        scenario.micPeriodMs === undefined ? '' : `mic ${scenario.micPeriodMs} ms`,
        scenario.speakerPeriodMs === undefined ? '' : `speaker ${scenario.speakerPeriodMs} ms`,
      ]
        .filter(Boolean)
        .join(', ');
      const figures = await runChild(scenario, seconds, pulse.serverAddress);
      const cpu = figures.cpuPercent === undefined ? '' : `${figures.cpuPercent.toFixed(2)} %`;
      const extra = Object.entries(figures.extra ?? {})
        .map(([key, value]) => `${key} ${value.toFixed(1)} ms`)
        .join(', ');
      const row = `${label.padEnd(58)} ${cpu.padStart(8)}  ${extra}`;
      rows.push(row);
      process.stderr.write(`${row}\n`);
    }
  } finally {
    pulse.stop();
  }
  process.stdout.write(`\nAudio CPU (% of one core, ${seconds} s windows)\n${rows.join('\n')}\n`);
}

function runChild(scenario: Scenario, seconds: number, pulseServer: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--scenario', JSON.stringify(scenario), '--seconds', String(seconds)],
      { env: { ...process.env, PULSE_SERVER: pulseServer }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    );
    let stderr = '';
    let figures: Figures | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (message) => {
      figures = message as Figures;
    });
    child.on('exit', (code) => {
      if (figures !== undefined) resolve(figures);
      else reject(new Error(`scenario "${scenario.name}" exited with ${code}:\n${stderr}`));
    });
  });
}
