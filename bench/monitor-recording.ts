import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Records a PulseAudio monitor with parec and knows, for every recorded sample, when it sounded
 * in this process's clock (performance.now()).
 *
 * How the clock is calibrated: the monitor delivers each sample after the sink rendered it, so
 * a chunk's arrival time minus its last sample's position (at the monitor's rate) is the
 * recording's start time plus a delivery delay that is never negative. The smallest such value
 * over a window (the lower envelope) is the start time plus the shortest delay seen; with a
 * 5 ms fragment that is a few ms, so times derived from it are late by at most that much, and
 * latencies measured with it are upper bounds. The window is local to each event because a null
 * sink with nothing playing into it stops delivering, which would break a single mapping.
 */
export const MONITOR_RATE = 48_000;

interface Arrival {
  /** Samples recorded once this chunk arrived. */
  end: number;
  at: number;
}

export class MonitorRecording {
  private readonly chunks: Buffer[] = [];
  private readonly arrivals: Arrival[] = [];
  private readonly process: ChildProcess;
  private samples = 0;

  constructor(source: string, env: NodeJS.ProcessEnv = process.env) {
    this.process = spawn(
      'parec',
      ['-d', source, '--raw', '--format=s16le', `--rate=${MONITOR_RATE}`, '--channels=1', '--latency-msec=5'],
      { stdio: ['ignore', 'pipe', 'ignore'], env },
    );
    this.process.stdout?.on('data', (chunk: Buffer) => {
      const at = performance.now();
      this.chunks.push(chunk);
      this.samples += chunk.length / 2;
      this.arrivals.push({ end: Math.floor(this.samples), at });
    });
  }

  /** Resolves once the recording has delivered `ms` more of audio. */
  async waitFor(ms: number): Promise<void> {
    const target = this.samples + (ms * MONITOR_RATE) / 1000;
    while (this.samples < target) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  pcm(): Int16Array {
    const all = Buffer.concat(this.chunks);
    const out = new Int16Array(Math.floor(all.byteLength / 2));
    for (let i = 0; i < out.length; i++) out[i] = all.readInt16LE(i * 2);
    return out;
  }

  /** When sample `index` sounded, from the arrivals within `windowMs` after it. */
  timeOf(index: number, windowMs = 1500): number {
    let start = Infinity;
    for (const arrival of this.arrivals) {
      if (arrival.end < index) continue;
      const lag = ((arrival.end - index) * 1000) / MONITOR_RATE;
      if (lag > windowMs) break;
      start = Math.min(start, arrival.at - lag);
    }
    return start;
  }

  /** The first sample at or after the time `at` whose magnitude exceeds `threshold`, or -1. */
  firstLoudAfter(at: number, threshold: number): number {
    const pcm = this.pcm();
    for (let i = this.indexAt(at, pcm.length); i < pcm.length; i++) if (Math.abs(pcm[i]) > threshold) return i;
    return -1;
  }

  /**
   * Just past the last loud sample of the sound that was playing at `at`: the start of the first
   * run of `quietMs` below `threshold` after `at`, or -1.
   */
  silenceAfter(at: number, threshold: number, quietMs = 30): number {
    const pcm = this.pcm();
    const quietRun = (quietMs * MONITOR_RATE) / 1000;
    let quietFrom = -1;
    for (let i = this.indexAt(at, pcm.length); i < pcm.length; i++) {
      if (Math.abs(pcm[i]) > threshold) quietFrom = -1;
      else if (quietFrom < 0) quietFrom = i;
      else if (i - quietFrom >= quietRun) return quietFrom;
    }
    return -1;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
  }

  /** The first sample that sounded at or after `at`; samples are searched from a little earlier so none is missed. */
  private indexAt(at: number, length: number): number {
    let low = 0;
    let high = length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.timeOf(mid) < at) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
