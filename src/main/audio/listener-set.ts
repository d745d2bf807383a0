/**
 * Subscribers to one kind of event. A listener that throws is reported and skipped, so one
 * bad subscriber can neither starve the others nor escape into a native stream callback.
 */
export class ListenerSet<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  add(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(args: Args, onListenerError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(...args);
      } catch (error) {
        onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }
}
