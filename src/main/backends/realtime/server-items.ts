/**
 * The items that exist in the current socket's server-side conversation: to delete them when
 * the user clears or replaces the conversation, and so a truncate names only an item this
 * server holds. The words and the audio received live in the session's Conversation.
 */
export class ServerItems {
  private readonly items = new Set<string>();

  /** A new socket starts a new server-side conversation. */
  clear(): void {
    this.items.clear();
  }

  note(itemId: string): void {
    this.items.add(itemId);
  }

  forget(itemId: string): void {
    this.items.delete(itemId);
  }

  has(itemId: string): boolean {
    return this.items.has(itemId);
  }

  ids(): string[] {
    return [...this.items];
  }
}
