import { ChatAudioBackend, type ChatAudioBackendOptions } from '../../../src/main/backends/chat-audio/chat-audio-backend';
import type { BackendEvent } from '../../../src/main/backends/voice-backend';
import { Conversation } from '../../../src/main/session/conversation';
import type { ChatAudioServer } from '../../support/chat-audio-server';

/** A backend wired to a loopback server, recording every event it emits. */
export class BackendUnderTest {
  readonly events: BackendEvent[] = [];
  readonly logs: string[] = [];
  /** What the session would make of the events: the conversation the backend reads its history from. */
  readonly conversation = new Conversation(() => undefined);
  readonly backend: ChatAudioBackend;
  private readonly waiters: Array<() => void> = [];

  constructor(server: ChatAudioServer, overrides: Partial<ChatAudioBackendOptions> = {}) {
    this.backend = new ChatAudioBackend({
      url: server.baseUrl,
      model: '',
      audioPart: 'input_audio',
      instructions: '',
      transcriptionModel: '',
      speech: { enabled: false, model: 'tts-1', voice: 'alloy' },
      apiKey: null,
      conversation: this.conversation,
      log: (message) => this.logs.push(message),
      ...overrides,
    });
    this.backend.on((event) => {
      this.conversation.apply(event);
      this.events.push(event);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first event (from the start) that matches, waiting for it if needed. */
  async next<T extends BackendEvent['type']>(type: T, matches: (event: Extract<BackendEvent, { type: T }>) => boolean = () => true): Promise<Extract<BackendEvent, { type: T }>> {
    for (;;) {
      const found = this.events.find((event): event is Extract<BackendEvent, { type: T }> => event.type === type && matches(event as Extract<BackendEvent, { type: T }>));
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves once `count` response-done events have arrived. */
  async responses(count: number): Promise<Array<Extract<BackendEvent, { type: 'response-done' }>>> {
    for (;;) {
      const done = this.events.filter((event): event is Extract<BackendEvent, { type: 'response-done' }> => event.type === 'response-done');
      if (done.length >= count) return done;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Holds the key over `pcm`, fed in 20 ms frames as the mic delivers it. */
  say(pcm: Int16Array): void {
    this.backend.startTurn();
    for (let offset = 0; offset < pcm.length; offset += 480) this.backend.appendAudio(pcm.subarray(offset, offset + 480));
    this.backend.finishTurn();
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }

  /** The id the backend gave its `n`th user turn or reply (ids carry a per-backend tag, so tests read them back). */
  itemId(role: 'user' | 'assistant', n = 1): string {
    const ids = new Set(this.events.flatMap((event) => ('itemId' in event && event.itemId.startsWith(`${role}-`) ? [event.itemId] : [])));
    const id = [...ids][n - 1];
    if (!id) throw new Error(`No ${role} item ${n} among the events yet`);
    return id;
  }
}

/** A linear chirp, so any reordering or loss of samples shows up when compared. */
export function chirp(ms: number, sampleRate: number, from = 200, to = 2000, amplitude = 8000): Int16Array {
  const length = Math.round((sampleRate * ms) / 1000);
  const seconds = ms / 1000;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i += 1) {
    const t = i / sampleRate;
    const phase = 2 * Math.PI * (from * t + ((to - from) * t * t) / (2 * seconds));
    out[i] = Math.round(amplitude * Math.sin(phase));
  }
  return out;
}

/** Largest difference between two signals over their middle, relative to `amplitude`, at the best small lag. */
export function relativeError(actual: Int16Array, expected: Int16Array, amplitude: number): number {
  const margin = 200;
  let best = Number.POSITIVE_INFINITY;
  for (let lag = -3; lag <= 3; lag += 1) {
    let worst = 0;
    for (let i = margin; i < Math.min(actual.length, expected.length) - margin; i += 1) {
      worst = Math.max(worst, Math.abs((actual[i + lag] ?? 0) - (expected[i] ?? 0)));
    }
    best = Math.min(best, worst / amplitude);
  }
  return best;
}
