import type { ConversationItem } from 'openai/resources/realtime/realtime';
import { SAMPLES_PER_MS } from './pcm16-base64';

/** How much of the conversation a renewed session gets back, as text. */
const CARRY_OVER_ITEMS = 40;
const CARRY_OVER_CHARS = 4000;

interface Entry {
  role: 'user' | 'assistant';
  text: string;
}

/**
 * What the backend knows of the conversation: the words of each turn (to carry over to a
 * renewed session), the items that exist on the current socket (to delete them), and how
 * much audio the server sent for each assistant item (to clamp a truncate).
 */
export class ConversationRecord {
  private readonly entries = new Map<string, Entry>();
  private readonly serverItems = new Set<string>();
  private readonly audioSamples = new Map<string, number>();

  /** A new socket starts a new server-side conversation. */
  startSocket(): void {
    this.serverItems.clear();
    this.audioSamples.clear();
  }

  clear(): void {
    this.entries.clear();
    this.startSocket();
  }

  noteServerItem(itemId: string): void {
    this.serverItems.add(itemId);
  }

  forgetServerItem(itemId: string): void {
    this.serverItems.delete(itemId);
  }

  serverItemIds(): string[] {
    return [...this.serverItems];
  }

  /** Returns the whole text so far. */
  appendText(itemId: string, role: Entry['role'], delta: string): string {
    const entry = this.entry(itemId, role);
    entry.text += delta;
    return entry.text;
  }

  setText(itemId: string, role: Entry['role'], text: string): void {
    this.entry(itemId, role).text = text;
  }

  addAudio(itemId: string, samples: number): void {
    this.audioSamples.set(itemId, (this.audioSamples.get(itemId) ?? 0) + samples);
  }

  /** Whole milliseconds of audio the server sent for the item: a truncate may not go past it. */
  audioMsSent(itemId: string): number {
    return Math.floor((this.audioSamples.get(itemId) ?? 0) / SAMPLES_PER_MS);
  }

  /** The conversation so far as text items, for `conversation.item.create` on a fresh session. */
  carryOver(): ConversationItem[] {
    const items: ConversationItem[] = [];
    for (const { role, text } of [...this.entries.values()].slice(-CARRY_OVER_ITEMS)) {
      const trimmed = text.trim().slice(0, CARRY_OVER_CHARS);
      if (!trimmed) continue;
      items.push(
        role === 'user'
          ? { type: 'message', role: 'user', content: [{ type: 'input_text', text: trimmed }] }
          : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: trimmed }] },
      );
    }
    return items;
  }

  private entry(itemId: string, role: Entry['role']): Entry {
    let entry = this.entries.get(itemId);
    if (!entry) {
      entry = { role, text: '' };
      this.entries.set(itemId, entry);
    }
    return entry;
  }
}
