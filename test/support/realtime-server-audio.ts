/**
 * Audio helpers for the loopback Realtime server: the default reply (a voice-like signal, so
 * playback and truncation have something audible to work on) and the base64 PCM16 codec.
 */

export const SERVER_RATE = 24_000;

/** ~1.5 s of a 140 Hz voice with harmonics, shaped into four "syllables". Deterministic. */
export function voiceLikeReply(seconds = 1.5): Int16Array {
  const length = Math.round(seconds * SERVER_RATE);
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / SERVER_RATE;
    const pitch = 140 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
    let sample = 0;
    for (let h = 1; h <= 5; h++) sample += Math.sin(2 * Math.PI * pitch * h * t) / h;
    const syllables = Math.max(0, Math.sin(Math.PI * 2.7 * t)) ** 0.5;
    const fade = Math.min(1, t / 0.02, (seconds - t) / 0.02);
    out[i] = Math.round(sample * syllables * fade * 7000);
  }
  return out;
}

export function encodePcm(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

export function decodePcm(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Int16Array(bytes.length >> 1);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  return out;
}

export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Splits `text` into `parts` pieces that concatenate back to it, cutting at spaces where possible. */
export function splitText(text: string, parts: number): string[] {
  const words = text.split(/(?<= )/);
  const out: string[] = Array.from({ length: Math.max(1, parts) }, () => '');
  words.forEach((word, i) => {
    const index = Math.min(out.length - 1, Math.floor((i * out.length) / Math.max(1, words.length)));
    out[index] += word;
  });
  return out;
}
