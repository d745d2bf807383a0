import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { MIC_SINK, SPEAKER_SINK } from './pulse-server';

const run = promisify(execFile);

/** Plays a file into the virtual mic, as if someone spoke into it. Resolves when it has played. */
export async function speakIntoMic(wavPath: string): Promise<void> {
  // A low requested latency makes the null sink render in real time; left to itself it renders
  // up to 2 s ahead in one block, and the virtual mic would hear speech before it is "spoken".
  await run('paplay', ['-d', MIC_SINK, '--latency-msec=20', wavPath]);
}

/** Records the virtual speaker until stopped, at 24 kHz mono, as the user would hear it. */
export class SpeakerRecording {
  private readonly chunks: Buffer[] = [];
  private readonly process: ChildProcess;

  constructor() {
    this.process = spawn('parec', ['-d', `${SPEAKER_SINK}.monitor`, '--rate=24000', '--channels=1', '--format=s16le', '--latency-msec=20'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.process.stdout?.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }

  /** Everything recorded so far. */
  samples(): Int16Array {
    const bytes = Buffer.concat(this.chunks);
    return new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2)).slice();
  }

  async stop(): Promise<Int16Array> {
    this.process.kill('SIGTERM');
    await new Promise((resolve) => this.process.once('exit', resolve));
    return this.samples();
  }
}

/** Real key events on the Xvfb display, which uiohook sees like a person's key presses. */
export async function keyDown(key: string): Promise<void> {
  await run('xdotool', ['keydown', key]);
}

export async function keyUp(key: string): Promise<void> {
  await run('xdotool', ['keyup', key]);
}

/** Down and up within one xdotool call: a few milliseconds apart, however busy the machine. */
export async function tapKey(key: string): Promise<void> {
  await run('xdotool', ['keydown', key, 'keyup', key]);
}

/**
 * Holds the key for `holdMs`, `times` times with `gapMs` between: one xdotool call, so the
 * X server stamps the events as xdotool's own sleeps space them, not as our event loop does.
 */
export async function holdKey(key: string, holdMs: number, times = 1, gapMs = 0): Promise<void> {
  const args: string[] = [];
  for (let i = 0; i < times; i++) {
    if (i > 0) args.push('sleep', String(gapMs / 1000));
    args.push('keydown', key, 'sleep', String(holdMs / 1000), 'keyup', key);
  }
  await run('xdotool', args);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
