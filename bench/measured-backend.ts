import type { BackendListener, HeardAudio, VoiceBackend } from '../src/main/backends/voice-backend';

export interface BackendMeasurements {
  committed(): void;
  /** The session stopped the speaker for a barge-in and passes on what was heard. */
  interrupted(heard: HeardAudio | null): void;
}

/**
 * A backend that reports the moments the bench times, then does exactly what the real one
 * does: every call goes straight through. The engine sees it through the VoiceBackend seam,
 * so nothing in the engine is patched for the bench.
 */
export class MeasuredBackend implements VoiceBackend {
  constructor(
    private readonly inner: VoiceBackend,
    private readonly measure: BackendMeasurements,
  ) {}

  connect(): Promise<void> {
    return this.inner.connect();
  }

  startTurn(): void {
    this.inner.startTurn();
  }

  appendAudio(pcm: Int16Array): void {
    this.inner.appendAudio(pcm);
  }

  finishTurn(): void {
    this.inner.finishTurn();
    this.measure.committed();
  }

  cancelTurn(): void {
    this.inner.cancelTurn();
  }

  interrupt(heard: HeardAudio | null): void {
    this.measure.interrupted(heard);
    this.inner.interrupt(heard);
  }

  retryLastTurn(): boolean {
    return this.inner.retryLastTurn();
  }

  replaceConversation(): void {
    this.inner.replaceConversation();
  }

  on(listener: BackendListener): () => void {
    return this.inner.on(listener);
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
