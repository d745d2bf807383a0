/**
 * The engine's audio: PCM16 mono at 24 kHz, the Realtime API's format. The devices convert from
 * and to their own rates; backends that need another rate convert on their side.
 */
export const BACKEND_SAMPLE_RATE = 24_000;
export const SAMPLES_PER_MS = BACKEND_SAMPLE_RATE / 1000;

/** Where playback stood when the user interrupted: what they actually heard. */
export interface HeardAudio {
  itemId: string;
  audioEndMs: number;
}
