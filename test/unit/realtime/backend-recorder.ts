import { RealtimeBackend, type RealtimeBackendOptions } from '../../../src/main/backends/realtime/realtime-backend';
import type { BackendEvent } from '../../../src/main/backends/voice-backend';
import { Conversation } from '../../../src/main/session/conversation';

/** A RealtimeBackend wired to a test server, with every event it emitted kept in order. */
export class BackendRecorder {
  readonly events: BackendEvent[] = [];
  readonly logs: string[] = [];
  /** What the session would make of the events: the conversation the backend reads its history from. */
  readonly conversation = new Conversation(() => undefined);
  readonly backend: RealtimeBackend;
  private waiters = new Set<() => void>();

  constructor(url: string, options: Partial<RealtimeBackendOptions> = {}) {
    this.backend = new RealtimeBackend({
      url,
      model: 'gpt-realtime',
      voice: 'marin',
      instructions: 'Answer briefly.',
      apiKey: 'test-key',
      conversation: this.conversation,
      log: (msg) => this.logs.push(msg),
      backoffMs: [50, 100, 200],
      ...options,
    });
    this.backend.on((event) => {
      this.conversation.apply(event);
      this.events.push(event);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  of<T extends BackendEvent['type']>(type: T): Array<Extract<BackendEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<BackendEvent, { type: T }> => e.type === type);
  }

  /** The first matching event at or after `from`, waiting for it if needed. */
  waitFor<T extends BackendEvent['type']>(
    type: T,
    predicate: (event: Extract<BackendEvent, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
    from = 0,
  ): Promise<Extract<BackendEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.events.slice(from).find((e): e is Extract<BackendEvent, { type: T }> => e.type === type && predicate(e as Extract<BackendEvent, { type: T }>));
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ')}; log: ${this.logs.join(' | ')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Holds the key over `pcm`, handing it over in 20 ms chunks as the session does. */
  speak(pcm: Int16Array, chunkSamples = 480): void {
    this.backend.startTurn();
    for (let at = 0; at < pcm.length; at += chunkSamples) this.backend.appendAudio(pcm.subarray(at, at + chunkSamples));
  }
}

/** A recognisable test signal: a sine sweep, so any lost or reordered chunk shows. */
export function sweep(ms: number, seed = 1): Int16Array {
  const n = Math.round(ms * 24);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * (200 * seed + i / 40) * i) / 24_000));
  return out;
}
