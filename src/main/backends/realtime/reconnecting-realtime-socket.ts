import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { UserFacingError } from '../../user-facing-error';
import { droppedError, redactUrl, shuttingDown } from './realtime-errors';
import { RealtimeSocket, type SocketTarget } from './realtime-socket';
import { parseServerMessage, type ParsedServerEvent } from './server-events';

export type SocketStatus = 'idle' | 'connecting' | 'ready' | 'waiting' | 'halted' | 'disposed';

export interface ReconnectingRealtimeSocketOptions extends SocketTarget {
  log: (msg: string) => void;
  /** After session.created, how long to wait for session.updated before using the session anyway. */
  readyGraceMs: number;
  /** Waits between reconnect attempts; the last one repeats. */
  backoffMs: readonly number[];
  /** Sends what a fresh socket needs before it is ready: session.update, then the carried-over conversation. */
  configure(send: (event: RealtimeClientEvent) => void): void;
  onServerEvent(parsed: ParsedServerEvent, failedEventType: string | undefined): void;
  onStatus(status: 'connecting' | 'ready' | 'closed'): void;
  /** A socket that was open closed under us. */
  onDropped(error: UserFacingError): void;
  /** A reconnect attempt failed (reported once per outage), or the socket halted with no connect() caller to tell. */
  onError(error: UserFacingError): void;
}

/** How many sent event ids are remembered for matching `error.event_id` back to a client event. */
const EVENT_MEMORY = 256;

/**
 * Keeps one Realtime socket ready: opens it, waits for the session to be configured, and
 * reconnects with backoff after an unexpected close. Every client event gets an `event_id`
 * so a later `error` can name the event that failed.
 */
export class ReconnectingRealtimeSocket {
  private socket: RealtimeSocket | null = null;
  private state: SocketStatus = 'idle';
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private pending: { promise: Promise<void>; resolve: () => void; reject: (e: UserFacingError) => void } | null = null;
  private outageReported = false;
  private eventCounter = 0;
  private attemptCounter = 0;
  private readonly sentTypes = new Map<string, string>();

  constructor(private readonly options: ReconnectingRealtimeSocketOptions) {}

  get status(): SocketStatus {
    return this.state;
  }

  /** Resolves once a configured session is ready; rejects with the reason it could not be reached. */
  connect(): Promise<void> {
    if (this.state === 'disposed') return Promise.reject(shuttingDown());
    if (this.state === 'ready') return Promise.resolve();
    const pending = this.pendingReady();
    if (this.state !== 'connecting') this.openNow();
    return pending.promise;
  }

  /** Skips the rest of a backoff wait, or resumes after a halt: the user wants to talk now. */
  wake(): void {
    // Someone is trying to talk now: if this attempt fails too, they must hear why.
    this.outageReported = false;
    if (this.state === 'waiting' || this.state === 'halted' || this.state === 'idle') {
      this.openNow();
    }
  }

  /** Sends when ready; returns the event_id, or null when nothing was sent. */
  send(event: RealtimeClientEvent): string | null {
    if (this.state !== 'ready' || !this.socket) return null;
    return this.sendOn(this.socket, event);
  }

  failedEventType(eventId: string | null): string | undefined {
    return eventId ? this.sentTypes.get(eventId) : undefined;
  }

  /** Replaces the session with a fresh one (before the server's time cap ends it mid-turn). */
  renew(): void {
    if (this.state === 'disposed') return;
    this.options.log('realtime: renewing the session before it expires');
    this.dropSocket();
    this.openNow();
  }

  /**
   * Stops reconnecting until connect() or wake(): retrying cannot fix a rejected key or a missing
   * model. The error is said once: to a connect() caller waiting for the session, else through onError.
   */
  halt(error: UserFacingError): void {
    if (this.state === 'disposed') return;
    this.dropSocket();
    this.clearTimers();
    this.state = 'halted';
    this.options.onStatus('closed');
    if (this.pending) this.settle(error);
    else this.options.onError(error);
  }

  async dispose(): Promise<void> {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.clearTimers();
    this.settle(shuttingDown());
    this.attemptCounter += 1;
    const socket = this.socket;
    this.socket = null;
    if (socket) await socket.closeAndWait();
  }

  private openNow(): void {
    this.clearTimers();
    this.state = 'connecting';
    this.options.onStatus('connecting');
    const attempt = ++this.attemptCounter;
    // Messages are routed by attempt, not by socket: the first ones can arrive before the open promise settles.
    const opening = RealtimeSocket.open(this.options, {
      onMessage: (text) => {
        if (attempt === this.attemptCounter) this.handleMessage(text);
      },
      onClose: (code, reason) => {
        if (attempt === this.attemptCounter) this.handleClose(code, reason);
      },
    });
    opening.then(
      (opened) => {
        if (attempt !== this.attemptCounter || this.state !== 'connecting') {
          opened.close();
          return;
        }
        this.socket = opened;
        this.options.configure((event) => this.sendOn(opened, event));
      },
      (error: UserFacingError) => {
        if (attempt === this.attemptCounter) this.handleOpenFailure(error);
      },
    );
  }

  private handleMessage(text: string): void {
    const parsed = parseServerMessage(text);
    if (this.state === 'connecting') {
      if (parsed.kind === 'session-updated') this.becomeReady();
      else if (parsed.kind === 'session-created' && !this.graceTimer) {
        // Some compatible servers never answer session.update; use their session after a short wait.
        this.graceTimer = setTimeout(() => this.becomeReady(), this.options.readyGraceMs);
      }
    }
    const failed = parsed.kind === 'error' ? this.failedEventType(parsed.eventId) : undefined;
    this.options.onServerEvent(parsed, failed);
  }

  private becomeReady(): void {
    if (this.state !== 'connecting') return;
    this.clearTimers();
    this.state = 'ready';
    this.attempt = 0;
    this.outageReported = false;
    this.options.log(`realtime: session ready at ${redactUrl(this.options.url)}`);
    this.options.onStatus('ready');
    this.settle(null);
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    const expired = code === 1001 && /maximum duration/i.test(reason);
    this.options.log(`realtime: socket closed (${code}${reason ? ` ${reason}` : ''})`);
    const error = droppedError(expired, code, reason);
    this.options.onStatus('closed');
    this.options.onDropped(error);
    if (this.state === 'disposed' || this.state === 'halted') return;
    if (this.state === 'connecting') this.settle(error);
    if (expired) this.openNow();
    else this.scheduleRetry();
  }

  private handleOpenFailure(error: UserFacingError): void {
    if (this.state !== 'connecting') return;
    this.options.log(`realtime: could not connect: ${error.message}`);
    // No retry can fix a rejected key or an unknown model: stop until the settings change.
    if (error.recovery === 'needs-new-settings') {
      this.halt(error);
      return;
    }
    // A connect() caller hears about the failure from its promise; otherwise report it once per outage.
    if (this.pending) this.settle(error);
    else if (!this.outageReported) this.options.onError(error);
    this.outageReported = true;
    this.options.onStatus('closed');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.clearTimers();
    const { backoffMs } = this.options;
    const wait = backoffMs[Math.min(this.attempt, backoffMs.length - 1)] ?? 1000;
    this.attempt += 1;
    this.state = 'waiting';
    this.retryTimer = setTimeout(() => this.openNow(), wait);
  }

  private sendOn(socket: RealtimeSocket, event: RealtimeClientEvent): string | null {
    const eventId = `evt_parley_${(++this.eventCounter).toString(36)}`;
    if (!socket.send(JSON.stringify({ ...event, event_id: eventId }))) return null;
    this.sentTypes.set(eventId, event.type);
    if (this.sentTypes.size > EVENT_MEMORY) {
      const oldest = this.sentTypes.keys().next();
      if (!oldest.done) this.sentTypes.delete(oldest.value);
    }
    return eventId;
  }

  private pendingReady(): NonNullable<ReconnectingRealtimeSocket['pending']> {
    if (this.pending) return this.pending;
    let resolve: () => void = () => undefined;
    let reject: (e: UserFacingError) => void = () => undefined;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending = { promise, resolve, reject };
    return this.pending;
  }

  private settle(error: UserFacingError | null): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private dropSocket(): void {
    this.attemptCounter += 1;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.retryTimer = null;
    this.graceTimer = null;
  }
}
