import { SAMPLES_PER_MS } from '../voice-backend';

/**
 * The items that exist in the current socket's server-side conversation (to delete them when
 * the user clears or replaces the conversation), and how much audio the server sent for each
 * assistant item (to clamp a truncate). The words live in the session's Conversation.
 */
export class ServerItems {
  private readonly items = new Set<string>();
  private readonly audioSamples = new Map<string, number>();

  /** A new socket starts a new server-side conversation. */
  clear(): void {
    this.items.clear();
    this.audioSamples.clear();
  }

  note(itemId: string): void {
    this.items.add(itemId);
  }

  forget(itemId: string): void {
    this.items.delete(itemId);
  }

  ids(): string[] {
    return [...this.items];
  }

  addAudio(itemId: string, samples: number): void {
    this.audioSamples.set(itemId, (this.audioSamples.get(itemId) ?? 0) + samples);
  }

  /** Whole milliseconds of audio the server sent for the item: a truncate may not go past it. */
  audioMsSent(itemId: string): number {
    return Math.floor((this.audioSamples.get(itemId) ?? 0) / SAMPLES_PER_MS);
  }
}
