import type { AssistantState } from '../src/shared/engine-events';
import type { HeardAudio } from '../src/main/backends/voice-backend';

/** Messages between bench/run.ts and bench/engine-worker.ts over the child-process channel. */
export type BenchCommand =
  | { type: 'start'; url: string }
  | { type: 'press' }
  | { type: 'release' }
  | { type: 'cpu-mark' }
  | { type: 'cpu-read' }
  | { type: 'memory' }
  | { type: 'stop' };

export type BenchReply =
  | { type: 'started'; postRollMs: number; micPeriodMs: number; speakerPeriodMs: number }
  | { type: 'pressed'; at: number }
  | { type: 'released'; at: number }
  | { type: 'append'; ageMs: number }
  | { type: 'commit'; at: number }
  | { type: 'first-audio-received'; itemId: string; at: number }
  | { type: 'playback-started'; itemId: string; at: number }
  | { type: 'playback-stopped'; at: number; heard: HeardAudio | null }
  | { type: 'state'; state: AssistantState; at: number }
  | { type: 'engine-error'; message: string }
  | { type: 'cpu-marked' }
  | { type: 'cpu'; percentOfOneCore: number }
  | { type: 'memory'; heapUsed: number; rss: number; external: number; arrayBuffers: number }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
