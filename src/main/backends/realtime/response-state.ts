/**
 * The one response a Realtime conversation may have at a time. `requested` covers the gap
 * between sending response.create and hearing response.created, so a barge-in in that gap
 * still cancels, and no second response.create is sent into it.
 */
export class ResponseState {
  phase: 'none' | 'requested' | 'active' = 'none';
  private responseId: string | null = null;
  private readonly cancelled = new Set<string>();
  private cancelNextCreated = false;
  /** A response.create waits for the current response to end. */
  createWanted = false;

  get busy(): boolean {
    return this.phase !== 'none';
  }

  requested(): void {
    this.phase = 'requested';
  }

  /** The server refused a response.create: no response is coming. */
  createFailed(): void {
    if (this.phase === 'requested') this.phase = 'none';
    this.cancelNextCreated = false;
  }

  /** Returns false when the response was cancelled before it was even created. */
  created(responseId: string): boolean {
    this.phase = 'active';
    this.responseId = responseId;
    if (this.cancelNextCreated) {
      this.cancelNextCreated = false;
      this.cancelled.add(responseId);
      return false;
    }
    return true;
  }

  /** Returns whether we had cancelled it. */
  done(responseId: string): boolean {
    this.phase = 'none';
    this.responseId = null;
    this.cancelNextCreated = false;
    const wasCancelled = this.cancelled.delete(responseId);
    return wasCancelled;
  }

  /** Marks the current response cancelled; returns its id ('' before response.created), or null if none. */
  cancel(): string | null {
    if (this.phase === 'none' || this.cancelNextCreated) return null;
    if (this.responseId === null) {
      this.cancelNextCreated = true;
      return '';
    }
    if (this.cancelled.has(this.responseId)) return null;
    this.cancelled.add(this.responseId);
    return this.responseId;
  }

  /** Deltas of a cancelled response that were already on the wire are dropped. */
  isCancelled(responseId: string): boolean {
    return this.cancelled.has(responseId);
  }

  /** A new socket has no response. */
  reset(): void {
    this.phase = 'none';
    this.responseId = null;
    this.cancelled.clear();
    this.cancelNextCreated = false;
    this.createWanted = false;
  }
}
