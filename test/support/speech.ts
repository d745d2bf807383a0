import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real speech for the tests: espeak-ng speaks, sox converts. */
export interface SpeechClip {
  /** A WAV file to `paplay` into the virtual mic. */
  wavPath: string;
  /** The same speech as 24 kHz mono PCM16, to compare with what the server received. */
  pcm24k: Int16Array;
}

export function makeSpeech(text: string, voice = 'en-us'): SpeechClip {
  const dir = mkdtempSync(join(tmpdir(), 'parley-speech-'));
  const rawWav = join(dir, 'espeak.wav');
  const wavPath = join(dir, 'speech.wav');
  const rawPath = join(dir, 'speech-24k.raw');
  execFileSync('espeak-ng', ['-v', voice, '-s', '165', '-w', rawWav, text]);
  // 48 kHz for playback (the devices' own rate), 24 kHz raw as the reference.
  execFileSync('sox', [rawWav, '-r', '48000', '-c', '1', '-b', '16', wavPath]);
  execFileSync('sox', [rawWav, '-r', '24000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', rawPath]);
  const bytes = readFileSync(rawPath);
  return { wavPath, pcm24k: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice() };
}

/** Reads a mono PCM16 clip at `sampleRate` out of any audio file sox understands. */
export function readPcm(path: string, sampleRate: number): Int16Array {
  const bytes = execFileSync('sox', [path, '-r', String(sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', '-']);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice();
}
