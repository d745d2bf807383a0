import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';

/**
 * The one response a Realtime conversation may have at a time, and the client events that
 * start and stop it. `requested` covers the gap between sending response.create and hearing
 * response.created, so a barge-in in that gap still cancels, and no second response.create is
 * sent into it: a create asked for meanwhile waits until the response ends.
 */
export class ResponseState {
  phase: 'none' | 'requested' | 'active' = 'none';
  private responseId: string | null = null;
  private readonly cancelled = new Set<string>();
  private cancelNextCreated = false;
  /** A response.create waits for the current response to end (or for the socket to be ready). */
  private createWanted = false;

  /** `send` returns null when nothing was sent (the socket is not ready). */
  constructor(private readonly send: (event: RealtimeClientEvent) => string | null) {}

  get busy(): boolean {
    return this.phase !== 'none';
  }

  /** Asks for a response now, or once the current one ends; `finalAnswer` forbids more tool calls. */
  request(finalAnswer = false): void {
    if (this.busy) {
      this.createWanted = true;
      return;
    }
    const event: RealtimeClientEvent = finalAnswer ? { type: 'response.create', response: { tool_choice: 'none' } } : { type: 'response.create' };
    if (this.send(event)) this.phase = 'requested';
    else this.createWanted = true;
  }

  /** Asks for a response once the current one ends (the server says one is still active). */
  requestLater(): void {
    this.createWanted = true;
  }

  /** Sends the create that waited, if one did: a response ended, or the socket became ready. */
  requestWanted(): void {
    if (!this.createWanted) return;
    this.createWanted = false;
    this.request();
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

  /**
   * Cancels the current response, if there is one: response.cancel goes out, and its deltas
   * still on the wire are dropped. Before response.created, the response is cancelled as it arrives.
   */
  cancel(): void {
    if (this.phase === 'none' || this.cancelNextCreated) return;
    if (this.responseId === null) {
      this.cancelNextCreated = true;
    } else {
      if (this.cancelled.has(this.responseId)) return;
      this.cancelled.add(this.responseId);
    }
    this.send({ type: 'response.cancel' });
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
