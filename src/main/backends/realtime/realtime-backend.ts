import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { UserFacingError } from '../../user-facing-error';
import { SAMPLES_PER_MS, type BackendEvent, type BackendListener, type HeardAudio, type VoiceBackend } from '../voice-backend';
import { carryOverItems } from './carry-over';
import type { RealtimeBackendOptions } from './realtime-options';
import { pcm16ToBase64 } from './pcm16-base64';
import { ReconnectingRealtimeSocket } from './reconnecting-realtime-socket';
import { RealtimeToolCalls } from './realtime-tool-calls';
import { ResponseState } from './response-state';
import { ServerEventHandler } from './server-event-handler';
import { ServerItems } from './server-items';
import { sessionUpdate } from './session-config';

/** The longest delay setTimeout takes (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type { RealtimeBackendOptions } from './realtime-options';

interface Turn {
  chunks: Int16Array[];
  samples: number;
  /** How many chunks went out on the current socket; a new socket starts again from 0. */
  sent: number;
}

/**
 * The OpenAI Realtime API (GA protocol) over a WebSocket, for push-to-talk: the key decides
 * when a turn ends, so the turn is committed by hand and the reply requested with response.create.
 */
export class RealtimeBackend implements VoiceBackend {
  private readonly listeners = new Set<BackendListener>();
  private readonly socket: ReconnectingRealtimeSocket;
  private readonly items = new ServerItems();
  private readonly responses = new ResponseState((event) => this.socket.send(event));
  private readonly toolCalls: RealtimeToolCalls;
  private readonly stopWatchingTools: () => void;
  private readonly serverEvents: ServerEventHandler;
  private turn: Turn | null = null;
  /** Finished turns that wait for the socket to be ready. */
  private unsent: Turn[] = [];
  private lastTurn: Int16Array[] | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private renewDue = false;
  private disposed = false;

  constructor(private readonly options: RealtimeBackendOptions) {
    const tools = options.tools ?? null;
    this.toolCalls = new RealtimeToolCalls({
      tools,
      log: options.log,
      send: (event) => this.socket.send(event),
      responses: this.responses,
      idle: () => this.maybeRenew(),
    });
    // A new set of tools (a server came up, a switch was flipped) is declared to the live session.
    this.stopWatchingTools = tools?.onDidChangeTools(() => {
      this.socket.send({ type: 'session.update', session: { type: 'realtime', tools: tools.realtimeTools(), tool_choice: 'auto' } });
    }) ?? (() => undefined);
    this.serverEvents = new ServerEventHandler({
      url: options.url,
      log: options.log,
      items: this.items,
      responses: this.responses,
      toolCalls: this.toolCalls,
      emit: (event) => this.emit(event),
      send: (event) => this.socket.send(event),
      halt: (error) => this.socket.halt(error),
      scheduleRenewal: (expiresAt) => this.scheduleRenewal(expiresAt),
      idle: () => this.maybeRenew(),
    });
    this.socket = new ReconnectingRealtimeSocket({
      url: options.url,
      model: options.model,
      apiKey: options.apiKey,
      WebSocketImpl: options.WebSocketImpl,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      readyGraceMs: options.readyGraceMs ?? 1500,
      backoffMs: options.backoffMs ?? [250, 1000, 2000, 5000, 10_000],
      log: options.log,
      configure: (send) => this.configure(send),
      onServerEvent: (parsed, failedEventType) => this.serverEvents.handle(parsed, failedEventType),
      onStatus: (status) => {
        this.emit({ type: 'connection', status });
        if (status === 'ready') this.flushAfterReady();
      },
      onDropped: (error) => this.handleDropped(error),
      onError: (error) => this.emit({ type: 'error', error }),
    });
  }

  connect(): Promise<void> {
    return this.socket.connect();
  }

  startTurn(): void {
    if (this.turn) {
      this.options.log('realtime: startTurn while a turn is open; keeping the open turn');
      return;
    }
    this.turn = { chunks: [], samples: 0, sent: 0 };
    this.socket.wake();
  }

  appendAudio(pcm: Int16Array): void {
    const turn = this.turn;
    if (!turn || pcm.length === 0) return;
    // Copied: the caller may reuse its buffer, and the turn is kept for retryLastTurn.
    turn.chunks.push(pcm.slice());
    turn.samples += pcm.length;
    if (this.socket.status === 'ready') this.sendAudio(turn);
  }

  finishTurn(): void {
    const turn = this.turn;
    this.turn = null;
    if (!turn) return;
    this.lastTurn = turn.chunks;
    this.submit(turn);
  }

  cancelTurn(): void {
    const turn = this.turn;
    this.turn = null;
    if (turn && turn.sent > 0) this.socket.send({ type: 'input_audio_buffer.clear' });
    this.maybeRenew();
  }

  interrupt(heard: HeardAudio | null): void {
    this.responses.cancel();
    this.toolCalls.interrupt();
    if (!heard) return;
    // Never past the audio the server sent (the conversation counts it), nor for an item of an earlier socket.
    const sentMs = this.items.has(heard.itemId) ? this.options.conversation.audioMsReceived(heard.itemId) : 0;
    const endMs = Math.min(Math.floor(heard.audioEndMs), sentMs);
    // Truncating at 0 ms, or an item with no audio yet, is an error on the server: nothing was heard, nothing to trim.
    if (!(endMs > 0)) return;
    this.socket.send({ type: 'conversation.item.truncate', item_id: heard.itemId, content_index: 0, audio_end_ms: endMs });
  }

  retryLastTurn(): boolean {
    if (!this.lastTurn || this.turn) return false;
    this.responses.cancel();
    const chunks = this.lastTurn;
    this.submit({ chunks, samples: chunks.reduce((sum, c) => sum + c.length, 0), sent: 0 });
    return true;
  }

  /** Deletes every item the server session holds, then gives it the conversation's words. */
  replaceConversation(): void {
    this.responses.cancel();
    this.toolCalls.interrupt();
    for (const itemId of this.items.ids()) this.socket.send({ type: 'conversation.item.delete', item_id: itemId });
    this.items.clear();
    this.lastTurn = null;
    // Not ready: configure() carries the conversation over when the socket opens.
    if (this.socket.status === 'ready') this.carryOver((event) => this.socket.send(event));
  }

  on(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    this.stopWatchingTools();
    this.toolCalls.interrupt();
    await this.socket.dispose();
    this.listeners.clear();
  }

  private configure(send: (event: RealtimeClientEvent) => void): void {
    this.items.clear();
    this.responses.reset();
    this.serverEvents.startSocket();
    this.toolCalls.startSocket();
    // The new session's input buffer is empty: every turn not yet committed goes out again whole.
    for (const turn of [...this.unsent, ...(this.turn ? [this.turn] : [])]) turn.sent = 0;
    send(sessionUpdate({ voice: this.options.voice, instructions: this.options.instructions, tools: this.options.tools?.realtimeTools() ?? [] }));
    this.carryOver(send);
  }

  private carryOver(send: (event: RealtimeClientEvent) => void): void {
    for (const item of carryOverItems(this.options.conversation.lines)) send({ type: 'conversation.item.create', item });
  }

  private flushAfterReady(): void {
    const waiting = this.unsent;
    this.unsent = [];
    for (const turn of waiting) this.commit(turn);
    if (this.turn) this.sendAudio(this.turn);
    if (waiting.length > 0) this.responses.requestLater();
    this.responses.requestWanted();
  }

  private submit(turn: Turn): void {
    if (this.socket.status !== 'ready') {
      this.unsent.push(turn);
      this.socket.wake();
      return;
    }
    this.commit(turn);
    this.responses.request();
  }

  private commit(turn: Turn): void {
    this.toolCalls.newTurn();
    this.sendAudio(turn);
    const eventId = this.socket.send({ type: 'input_audio_buffer.commit' });
    if (eventId) this.serverEvents.expectCommit(eventId, turn.samples / SAMPLES_PER_MS);
  }

  private sendAudio(turn: Turn): void {
    while (turn.sent < turn.chunks.length) {
      const chunk = turn.chunks[turn.sent];
      if (!chunk || !this.socket.send({ type: 'input_audio_buffer.append', audio: pcm16ToBase64(chunk) })) return;
      turn.sent += 1;
    }
  }

  private handleDropped(error: UserFacingError): void {
    const lostReply = this.responses.busy || this.toolCalls.awaiting;
    if (!lostReply) return;
    this.emit({ type: 'error', error });
    // That response will never send its response.done: end it here, as every response ends.
    this.responses.reset();
    this.emit({ type: 'response-done', status: 'failed' });
  }

  private scheduleRenewal(expiresAtSeconds: number): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    this.renewDue = false; // a new session: whatever was due belonged to the one before
    const delay = expiresAtSeconds * 1000 - Date.now() - (this.options.renewBeforeExpiryMs ?? 120_000);
    // Node fires a longer timer after 1 ms: a session that lasts over 24 days needs no renewal while Parley runs.
    if (delay <= 0 || delay > MAX_TIMER_MS) return;
    this.renewTimer = setTimeout(() => {
      this.renewTimer = null;
      this.renewDue = true;
      this.maybeRenew();
    }, delay);
    this.renewTimer.unref();
  }

  /** Renews only between turns, so no turn is split across two sessions. */
  private maybeRenew(): void {
    if (!this.renewDue || this.turn || this.unsent.length > 0 || this.responses.busy || this.toolCalls.awaiting) return;
    if (this.socket.status !== 'ready') return;
    this.renewDue = false;
    this.socket.renew();
  }

  private emit(event: BackendEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log(`realtime: a listener threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
