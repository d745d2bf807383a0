import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shared helpers for the audio device tests: real speech, real playback and recording through PulseAudio. */

export const workDir = mkdtempSync(join(tmpdir(), 'parley-audio-test-'));

/** Speech from espeak-ng, plus the same clip converted by sox (an independent resampler) to 24 kHz. */
export function makeSpeech(text: string, name: string): { wavPath: string; pcm24k: Int16Array } {
  const wavPath = join(workDir, `${name}.wav`);
  execFileSync('espeak-ng', ['-w', wavPath, text]);
  const rawPath = join(workDir, `${name}-24k.raw`);
  execFileSync('sox', [wavPath, '-t', 'raw', '-r', '24000', '-e', 'signed-integer', '-b', '16', '-c', '1', rawPath]);
  return { wavPath, pcm24k: readPcm(rawPath) };
}

export function readPcm(path: string): Int16Array {
  const bytes = readFileSync(path);
  const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 2));
  copy.set(bytes.subarray(0, copy.length));
  return new Int16Array(copy.buffer);
}

export function playInto(sink: string, wavPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const player = spawn('paplay', ['-d', sink, wavPath], { stdio: 'ignore' });
    player.on('error', reject);
    player.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paplay exited with ${code}`))));
  });
}

/** Records a source as raw 24 kHz mono PCM16; `stop()` ends it and returns what was captured. */
export function record(source: string): { snapshot(): Int16Array; stop(): Promise<Int16Array> } {
  const chunks: Buffer[] = [];
  const recorder: ChildProcess = spawn(
    'parec',
    ['-d', source, '--raw', '--format=s16le', '--rate=24000', '--channels=1', '--latency-msec=10'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  recorder.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const snapshot = (): Int16Array => {
    const all = Buffer.concat(chunks);
    const pcm = new Int16Array(Math.floor(all.byteLength / 2));
    for (let i = 0; i < pcm.length; i++) pcm[i] = all.readInt16LE(i * 2);
    return pcm;
  };
  return {
    snapshot,
    stop: () =>
      new Promise((resolve) => {
        recorder.on('exit', () => resolve(snapshot()));
        recorder.kill('SIGINT');
      }),
  };
}

export function concat(pieces: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** Index of the first sample whose magnitude exceeds `threshold`, or -1. */
export function firstLoud(pcm: Int16Array, threshold: number, from = 0): number {
  for (let i = from; i < pcm.length; i++) if (Math.abs(pcm[i]) > threshold) return i;
  return -1;
}

/** Index just past the last sample whose magnitude exceeds `threshold`, or 0. */
export function lastLoudEnd(pcm: Int16Array, threshold: number): number {
  for (let i = pcm.length - 1; i >= 0; i--) if (Math.abs(pcm[i]) > threshold) return i + 1;
  return 0;
}

/** Normalised correlation of `reference` against `signal` starting at `offset` (1 = identical shape). */
export function correlationAt(signal: Int16Array, reference: Int16Array, offset: number): number {
  let dot = 0;
  let energySignal = 0;
  let energyReference = 0;
  for (let i = 0; i < reference.length; i++) {
    const s = offset + i >= 0 && offset + i < signal.length ? signal[offset + i] : 0;
    dot += s * reference[i];
    energySignal += s * s;
    energyReference += reference[i] * reference[i];
  }
  return energySignal === 0 || energyReference === 0 ? 0 : dot / Math.sqrt(energySignal * energyReference);
}

/** The offset of `reference` inside `signal` with the highest correlation, searched over every lag. */
export function bestAlignment(signal: Int16Array, reference: Int16Array): { offset: number; correlation: number } {
  // Coarse search on 1 ms energy envelopes, then refine sample by sample around the best match.
  const hop = 24;
  const envSignal = envelope(signal, hop);
  const envReference = envelope(reference, hop);
  let bestCoarse = 0;
  let bestScore = -Infinity;
  for (let lag = -envReference.length; lag < envSignal.length; lag++) {
    let score = 0;
    for (let i = 0; i < envReference.length; i++) {
      const j = lag + i;
      if (j >= 0 && j < envSignal.length) score += envSignal[j] * envReference[i];
    }
    if (score > bestScore) {
      bestScore = score;
      bestCoarse = lag * hop;
    }
  }
  let best = { offset: bestCoarse, correlation: -Infinity };
  for (let offset = bestCoarse - 2 * hop; offset <= bestCoarse + 2 * hop; offset++) {
    const correlation = correlationAt(signal, reference, offset);
    if (correlation > best.correlation) best = { offset, correlation };
  }
  return best;
}

function envelope(pcm: Int16Array, hop: number): Float64Array {
  const out = new Float64Array(Math.floor(pcm.length / hop));
  for (let frame = 0; frame < out.length; frame++) {
    let sum = 0;
    for (let i = frame * hop; i < (frame + 1) * hop; i++) sum += Math.abs(pcm[i]);
    out[frame] = sum / hop;
  }
  return out;
}
