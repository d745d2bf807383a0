import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/shared/engine-events';

/** A fresh data folder per test, removed afterwards. */
export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-history-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Stands in for EngineApi.onEvent: the recorder only needs subscribe/unsubscribe, and the
 * events are the same objects the engine emits.
 */
export class EventSource {
  readonly #listeners = new Set<(event: EngineEvent) => void>();

  subscribe = (listener: (event: EngineEvent) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
