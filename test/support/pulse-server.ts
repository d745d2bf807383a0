import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, chmodSync, writeFileSync, existsSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * A private PulseAudio server for the tests, with two null sinks:
 * - `parley_test_mic`: tests `paplay` speech into it; its monitor, remapped as the source
 *   `parley_test_mic_source`, is the default input, so the app hears that speech.
 * - `parley_test_speaker`: the default output; tests record what the app played from its
 *   monitor with `parec`.
 * naudiodon's PortAudio is ALSA-only and reaches this server through the ALSA pulse plugin.
 * Runs in system mode because CI runs as root, where the per-user daemon refuses to start.
 */
export const MIC_SINK = 'parley_test_mic';
export const MIC_SOURCE = 'parley_test_mic_source';
export const SPEAKER_SINK = 'parley_test_speaker';

export interface PulseServer {
  serverAddress: string;
  stop(): void;
}

export async function startPulseServer(): Promise<PulseServer> {
  const dir = join(tmpdir(), `parley-pulse-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  // The system daemon drops to the `pulse` user, which must be able to create its socket here.
  chmodSync(dir, 0o1777);
  const socket = join(dir, 'native');
  const script = join(dir, 'parley.pa');
  writeFileSync(
    script,
    [
      `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      `load-module module-null-sink sink_name=${MIC_SINK} rate=48000 sink_properties=device.description=ParleyTestMic`,
      `load-module module-null-sink sink_name=${SPEAKER_SINK} rate=48000 sink_properties=device.description=ParleyTestSpeaker`,
      `load-module module-remap-source source_name=${MIC_SOURCE} master=${MIC_SINK}.monitor`,
      `set-default-source ${MIC_SOURCE}`,
      `set-default-sink ${SPEAKER_SINK}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const args = [
    ...(asRoot ? ['--system', '--disallow-exit'] : []),
    '--daemonize=no',
    // Several test runs may each start their own server; the shared pid file would refuse the second.
    '--use-pid-file=false',
    '--exit-idle-time=-1',
    '-n',
    '-F',
    script,
    '--log-target=stderr',
    '--log-level=error',
  ];
  const daemon: ChildProcess = spawn('pulseaudio', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const serverAddress = `unix:${socket}`;
  const deadline = Date.now() + 15_000;
  while (!existsSync(socket) || !pactlAnswers(serverAddress)) {
    if (daemon.exitCode !== null) throw new Error(`pulseaudio exited (${daemon.exitCode}): ${log}`);
    if (Date.now() > deadline) throw new Error(`pulseaudio did not start: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Only the mic gets room tone: a second stream in the speaker sink would change its render
  // latency, and the speaker tests measure what comes out to the sample.
  const roomTone = [playSilence(MIC_SINK, serverAddress)];
  return {
    serverAddress,
    stop: () => {
      for (const player of roomTone) player.kill('SIGTERM');
      daemon.kill('SIGTERM');
    },
  };
}

/**
 * A null sink's monitor delivers nothing while no stream plays into it, so an idle virtual
 * mic would stall, unlike a real microphone, which delivers continuously (and pre-roll
 * would then hold stale audio). An endless stream of silence, at a low latency so the sink
 * renders in real time, makes it behave like a microphone in a quiet room.
 */
function playSilence(sink: string, serverAddress: string): ChildProcess {
  const zero = openSync('/dev/zero', 'r');
  const player = spawn('pacat', ['--playback', `--device=${sink}`, '--format=s16le', '--rate=48000', '--channels=1', '--latency-msec=20', '--raw'], {
    stdio: [zero, 'ignore', 'ignore'],
    env: { ...process.env, PULSE_SERVER: serverAddress },
  });
  closeSync(zero);
  return player;
}

function pactlAnswers(serverAddress: string): boolean {
  try {
    execFileSync('pactl', ['info'], { env: { ...process.env, PULSE_SERVER: serverAddress }, stdio: 'ignore', timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}
