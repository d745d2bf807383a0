/** Quieter than this reads as an empty meter: room noise on a typical laptop mic sits near -60 dBFS. */
const FLOOR_DB = -60;

/**
 * How loud a stretch of PCM16 is, 0..1 for a meter: the RMS in dBFS mapped linearly from
 * FLOOR_DB (0) to full scale (1). A dB scale matches how loudness is heard, so normal speech
 * (around -20 dBFS) lands in the upper half instead of barely moving a linear meter.
 */
export function measureLevel(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sumOfSquares = 0;
  for (let i = 0; i < pcm.length; i++) sumOfSquares += pcm[i] * pcm[i];
  const rms = Math.sqrt(sumOfSquares / pcm.length) / 32768;
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  if (db <= FLOOR_DB) return 0;
  return db >= 0 ? 1 : 1 - db / FLOOR_DB;
}
