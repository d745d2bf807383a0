import { endianness } from 'node:os';

/** Bytes in the canonical 44-byte RIFF/WAVE header that precedes PCM16 samples. */
const WAV_HEADER_BYTES = 44;

/**
 * Wraps mono PCM16 samples in a RIFF/WAVE file, the container audio chat models accept.
 * Samples are written little-endian whatever the host's byte order.
 */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`Invalid WAV sample rate: ${sampleRate}`);
  const dataBytes = pcm.length * 2;
  const wav = Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size for plain PCM
  wav.writeUInt16LE(1, 20); // format 1 = integer PCM
  wav.writeUInt16LE(1, 22); // channels
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  if (endianness() === 'LE') {
    // A plain copy: a per-sample write cost several ms on a 10 s clip, all of it after key-up.
    wav.set(new Uint8Array(pcm.buffer, pcm.byteOffset, dataBytes), WAV_HEADER_BYTES);
  } else {
    for (let i = 0; i < pcm.length; i += 1) wav.writeInt16LE(pcm[i] ?? 0, WAV_HEADER_BYTES + i * 2);
  }
  return wav;
}
