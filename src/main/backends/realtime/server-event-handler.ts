import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { UserFacingError } from '../../user-facing-error';
import type { BackendEvent } from '../voice-backend';
import type { ServerItems } from './server-items';
import { serverErrorToUserFacing } from './realtime-errors';
import type { RealtimeToolCalls } from './realtime-tool-calls';
import type { ResponseState } from './response-state';
import type { ParsedServerEvent } from './server-events';

export interface ServerEventHandlerDeps {
  url: string;
  log: (msg: string) => void;
  items: ServerItems;
  responses: ResponseState;
  toolCalls: RealtimeToolCalls;
  emit(event: BackendEvent): void;
  send(event: RealtimeClientEvent): string | null;
  /** Stops reconnecting, and says the error to whoever waits for it (a connect() caller, else as an error event). */
  halt(error: UserFacingError): void;
  scheduleRenewal(expiresAtSeconds: number): void;
  /** Called whenever the conversation may have gone quiet. */
  idle(): void;
}

/** Failures of these client events are logged only: there is nothing a person could do about them. */
const HOUSEKEEPING_EVENTS = new Set(['conversation.item.truncate', 'conversation.item.delete', 'response.cancel', 'input_audio_buffer.clear']);

/**
 * Turns what the server says into backend events: the user's turn and words (attached by
 * item_id whenever they arrive), the assistant's audio and words, function calls, errors.
 */
export class ServerEventHandler {
  /** Commits on the wire, oldest first, with their clip length; the server confirms them in order. */
  private commits: Array<{ eventId: string; clipMs: number }> = [];

  constructor(private readonly deps: ServerEventHandlerDeps) {}

  startSocket(): void {
    this.commits = [];
  }

  expectCommit(eventId: string, clipMs: number): void {
    this.commits.push({ eventId, clipMs });
  }

  handle(parsed: ParsedServerEvent, failedEventType: string | undefined): void {
    const { items, responses, emit } = this.deps;
    switch (parsed.kind) {
      case 'session-created':
        if (parsed.expiresAt) this.deps.scheduleRenewal(parsed.expiresAt);
        return;
      case 'committed': {
        const clipMs = Math.round(this.commits.shift()?.clipMs ?? 0);
        items.note(parsed.itemId);
        emit({ type: 'user-turn', itemId: parsed.itemId, clipMs });
        return;
      }
      case 'item-known':
        items.note(parsed.itemId);
        return;
      case 'item-deleted':
        items.forget(parsed.itemId);
        return;
      case 'user-transcript-delta':
        if (parsed.delta) emit({ type: 'user-transcript', itemId: parsed.itemId, delta: parsed.delta });
        return;
      case 'user-transcript-done':
        emit({ type: 'user-transcript-done', itemId: parsed.itemId, text: parsed.transcript });
        return;
      case 'user-transcript-failed':
        this.deps.log(`realtime: transcription of ${parsed.itemId} failed: ${parsed.message}`);
        return;
      case 'response-created':
        if (responses.created(parsed.responseId)) emit({ type: 'response-started' });
        return;
      case 'assistant-item':
        items.note(parsed.itemId);
        return;
      case 'audio-delta':
        if (responses.isCancelled(parsed.responseId)) return;
        // Its audio makes the item one to truncate on this socket, even if its announcement was missed.
        items.note(parsed.itemId);
        emit({ type: 'assistant-audio', itemId: parsed.itemId, pcm: parsed.pcm });
        return;
      case 'text-delta':
        if (responses.isCancelled(parsed.responseId)) return;
        emit({ type: 'assistant-text', itemId: parsed.itemId, delta: parsed.delta });
        return;
      case 'text-done':
        if (responses.isCancelled(parsed.responseId)) return;
        emit({ type: 'assistant-text-done', itemId: parsed.itemId, text: parsed.text });
        return;
      case 'function-call':
        this.deps.toolCalls.call(parsed.callId, parsed.name, parsed.arguments);
        return;
      case 'response-done':
        this.responseDone(parsed);
        return;
      case 'error':
        this.serverError(parsed, failedEventType);
        return;
      case 'malformed':
        this.deps.log(`realtime: ignored a malformed "${parsed.type}" event: ${parsed.problem}`);
        return;
      case 'session-updated':
      case 'ignored':
        return;
    }
  }

  private responseDone(parsed: Extract<ParsedServerEvent, { kind: 'response-done' }>): void {
    const { responses, emit } = this.deps;
    const weCancelled = responses.done(parsed.responseId);
    if (parsed.failure) {
      const error = serverErrorToUserFacing({ ...parsed.failure, param: null, failedEventType: 'response.create' }, this.deps.url);
      if (error) emit({ type: 'error', error });
    }
    // A reply that is about to continue after its function calls is not done for the user.
    if (!this.deps.toolCalls.continuesAfter(parsed.status)) {
      emit({ type: 'response-done', status: weCancelled ? 'cancelled' : parsed.status });
    }
    responses.requestWanted();
    this.deps.toolCalls.responseEnded(parsed.status);
    this.deps.idle();
  }

  private serverError(parsed: Extract<ParsedServerEvent, { kind: 'error' }>, failedEventType: string | undefined): void {
    const { code, message, type } = parsed;
    this.deps.log(`realtime: server error ${type}/${code ?? '-'}${failedEventType ? ` for ${failedEventType}` : ''}: ${message}`);
    if (code === 'input_audio_buffer_commit_empty') {
      // That commit will never be confirmed: keep the clip lengths of the others in line.
      this.commits = this.commits.filter((commit) => commit.eventId !== parsed.eventId);
      return;
    }
    if (code === 'conversation_already_has_active_response') {
      this.deps.responses.requestLater();
      return;
    }
    if (failedEventType === 'response.create') this.deps.responses.createFailed();
    if (failedEventType && HOUSEKEEPING_EVENTS.has(failedEventType)) return;
    const error = serverErrorToUserFacing({ type, code, message, param: parsed.param, failedEventType }, this.deps.url);
    if (!error) return;
    if (error.recovery === 'needs-new-settings') this.deps.halt(error);
    else this.deps.emit({ type: 'error', error });
  }
}
