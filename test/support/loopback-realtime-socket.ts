import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { concatPcm, decodePcm, encodePcm, SERVER_RATE, splitText } from './realtime-server-audio';
import { invalid, validateClientEvent, type RealtimeErrorBody, type ValidClientEvent } from './realtime-server-schemas';

/** What the connection needs from the server that owns it. */
export interface ConnectionContext {
  options: ServerBehaviour;
  recordClientEvent(event: Record<string, unknown>, connection: number): void;
  recordViolation(message: string): void;
  recordTurn(audio: Int16Array, itemId: string, connection: number): number;
  /** Lets a test answer an event itself; returns true when it did. */
  intercept(event: Record<string, unknown>, connection: LoopbackRealtimeSocket): boolean;
}

export interface ServerBehaviour {
  replyAudio: Int16Array;
  replyText: (responseIndex: number) => string;
  userTranscript: (turnIndex: number) => string;
  transcriptTiming: 'before-reply' | 'after-reply';
  paceAudio: boolean;
  audioChunkMs: number;
  betaNames: boolean;
  sendSessionUpdated: boolean;
  expiresInSeconds: number;
  functionCalls: Array<{ name: string; arguments: string }>;
  callAgainAfterOutputs: boolean;
  deltasAfterCancel: number;
}

interface Item {
  id: string;
  type: string;
  role: string | null;
  /** Assistant audio the server sent, in samples. */
  audioSamples: number;
}

interface ActiveResponse {
  id: string;
  cancelled: boolean;
}

/** GA names → the beta names a compatible (older) server speaks; `null` = not sent at all in beta. */
const BETA_NAMES: Record<string, string | null> = {
  'conversation.item.added': 'conversation.item.created',
  'conversation.item.done': null,
  'response.output_audio.delta': 'response.audio.delta',
  'response.output_audio.done': 'response.audio.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio_transcript.done': 'response.audio_transcript.done',
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
};

const MIN_COMMIT_SAMPLES = SERVER_RATE / 10;

/** One client socket speaking the GA Realtime protocol. */
export class LoopbackRealtimeSocket {
  private input: Int16Array[] = [];
  private readonly items = new Map<string, Item>();
  private lastItemId: string | null = null;
  private response: ActiveResponse | null = null;
  private responseCount = 0;
  private pendingTranscripts: Array<() => void> = [];
  private closed = false;
  session: Record<string, unknown>;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly context: ConnectionContext,
    model: string,
  ) {
    const expiresAt = Math.floor(Date.now() / 1000) + context.options.expiresInSeconds;
    this.session = {
      type: 'realtime',
      object: 'realtime.session',
      id: newId('sess'),
      model,
      expires_at: expiresAt,
      output_modalities: ['audio'],
      instructions: 'Your knowledge cutoff is 2023-10.',
      audio: {
        input: { format: { type: 'audio/pcm', rate: SERVER_RATE }, transcription: null, noise_reduction: null, turn_detection: { type: 'server_vad', threshold: 0.5 } },
        output: { format: { type: 'audio/pcm', rate: SERVER_RATE }, voice: 'alloy', speed: 1 },
      },
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
    };
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('close', () => {
      this.closed = true;
      if (this.response) this.response.cancelled = true;
    });
    this.send({ type: 'session.created', session: this.session });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a server event as-is (an `event_id` is added). */
  send(event: Record<string, unknown>): void {
    if (this.closed) return;
    const type = String(event.type);
    let outgoing = event;
    if (this.context.options.betaNames && type in BETA_NAMES) {
      const beta = BETA_NAMES[type];
      if (beta === null || beta === undefined) return;
      outgoing = { ...event, type: beta };
    }
    this.ws.send(JSON.stringify({ event_id: newId('event'), ...outgoing }));
  }

  sendError(error: Partial<RealtimeErrorBody> & { message: string }): void {
    this.send({ type: 'error', error: { type: 'invalid_request_error', code: null, param: null, event_id: null, ...error } });
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }

  private receive(raw: string): void {
    const result = validateClientEvent(raw);
    let loose: Record<string, unknown>;
    try {
      loose = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      loose = { type: '(not JSON)' };
    }
    this.context.recordClientEvent(loose, this.id);
    if (!result.ok) {
      this.reject(result.error);
      return;
    }
    if (this.context.intercept(loose, this)) return;
    this.handle(result.event);
  }

  /** Every error the client causes is also a protocol violation: Parley should never cause one. */
  private reject(error: RealtimeErrorBody): void {
    this.context.recordViolation(`${error.code ?? error.type}: ${error.message}`);
    this.sendError(error);
  }

  private handle(event: ValidClientEvent): void {
    const eventId = event.event_id ?? null;
    switch (event.type) {
      case 'session.update': {
        const update = event.session as Record<string, unknown>;
        this.session = { ...this.session, ...update, audio: mergeAudio(this.session.audio, update.audio) };
        if (this.context.options.sendSessionUpdated) this.send({ type: 'session.updated', session: this.session });
        return;
      }
      case 'input_audio_buffer.append':
        this.input.push(decodePcm(event.audio));
        return;
      case 'input_audio_buffer.clear':
        this.input = [];
        this.send({ type: 'input_audio_buffer.cleared' });
        return;
      case 'input_audio_buffer.commit':
        this.commit(eventId);
        return;
      case 'conversation.item.create': {
        const item = { ...event.item, id: event.item.id ?? newId('item') };
        if (this.items.has(item.id)) return this.reject(invalid('item_create_invalid_item_id', `Item with id '${item.id}' already exists.`, 'item.id', eventId));
        this.addItem({ id: item.id, type: item.type, role: 'role' in item ? item.role : null, audioSamples: 0 }, item);
        return;
      }
      case 'conversation.item.retrieve': {
        const item = this.items.get(event.item_id);
        if (!item) return this.reject(invalid('item_retrieve_invalid_item_id', `Item with item_id not found: ${event.item_id}`, 'item_id', eventId));
        this.send({ type: 'conversation.item.retrieved', item: { id: item.id, object: 'realtime.item', type: item.type, role: item.role } });
        return;
      }
      case 'conversation.item.delete':
        if (!this.items.delete(event.item_id)) {
          return this.reject(invalid('item_delete_invalid_item_id', `Error deleting item: the item with id '${event.item_id}' does not exist.`, 'item_id', eventId));
        }
        this.send({ type: 'conversation.item.deleted', item_id: event.item_id });
        return;
      case 'conversation.item.truncate':
        this.truncate(event, eventId);
        return;
      case 'response.create':
        if (this.response) {
          return this.reject(
            invalid('conversation_already_has_active_response', `Conversation already has an active response in progress: ${this.response.id}. Wait until the response is finished before creating a new one.`, null, eventId),
          );
        }
        void this.reply(event.response?.tool_choice === 'none');
        return;
      case 'response.cancel':
        if (!this.response || (event.response_id && event.response_id !== this.response.id)) {
          return this.reject(invalid('response_cancel_not_active', 'Cancellation failed: no active response found', null, eventId));
        }
        this.response.cancelled = true;
        return;
    }
  }

  private commit(eventId: string | null): void {
    const audio = concatPcm(this.input);
    if (audio.length < MIN_COMMIT_SAMPLES) {
      const ms = ((audio.length / SERVER_RATE) * 1000).toFixed(2);
      this.reject(invalid('input_audio_buffer_commit_empty', `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}ms of audio.`, null, eventId));
      return;
    }
    this.input = [];
    const itemId = newId('item');
    const turnIndex = this.context.recordTurn(audio, itemId, this.id);
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: this.lastItemId, item_id: itemId });
    this.addItem({ id: itemId, type: 'message', role: 'user', audioSamples: 0 }, {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    });
    const transcript = this.context.options.userTranscript(turnIndex);
    const sendTranscript = (): void => {
      for (const delta of splitText(transcript, 3)) {
        this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta });
      }
      this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript, usage: { type: 'duration', seconds: audio.length / SERVER_RATE } });
    };
    if (this.context.options.transcriptTiming === 'before-reply') sendTranscript();
    else this.pendingTranscripts.push(sendTranscript);
  }

  private truncate(event: Extract<ValidClientEvent, { type: 'conversation.item.truncate' }>, eventId: string | null): void {
    const { item_id: itemId, audio_end_ms: endMs } = event;
    const item = this.items.get(itemId);
    if (!Number.isInteger(endMs)) {
      return this.reject(invalid('invalid_type', "Invalid type for 'audio_end_ms': expected an integer, but got a decimal number instead.", 'audio_end_ms', eventId));
    }
    if (endMs < 0) {
      return this.reject(invalid('integer_below_min_value', `Invalid 'audio_end_ms': integer below minimum value. Expected a value >= 0, but got ${endMs} instead.`, 'audio_end_ms', eventId));
    }
    if (!item) return this.reject(invalid('item_truncate_invalid_item_id', `Item with item_id not found: ${itemId}`, 'item_id', eventId));
    if (item.role !== 'assistant' || event.content_index !== 0 || item.audioSamples === 0) {
      return this.reject(invalid('unsupported_content_type', 'Only model output audio messages can be truncated', 'item_id', eventId));
    }
    const sentMs = Math.floor((item.audioSamples / SERVER_RATE) * 1000);
    if (endMs > sentMs) return this.reject(invalid('invalid_value', `Audio content of ${sentMs}ms is already shorter than ${endMs}ms`, 'audio_end_ms', eventId));
    item.audioSamples = Math.floor((endMs * SERVER_RATE) / 1000);
    this.send({ type: 'conversation.item.truncated', item_id: itemId, content_index: 0, audio_end_ms: endMs });
  }

  private addItem(item: Item, body: Record<string, unknown>): void {
    this.items.set(item.id, item);
    const previous = this.lastItemId;
    this.lastItemId = item.id;
    const full = { object: 'realtime.item', status: 'completed', ...body, id: item.id };
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: full });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item: full });
  }

  private async reply(toolsForbidden = false): Promise<void> {
    const options = this.context.options;
    const responseIndex = this.responseCount++;
    const response: ActiveResponse = { id: newId('resp'), cancelled: false };
    this.response = response;
    const base = { object: 'realtime.response', id: response.id, conversation_id: 'conv_loopback', output_modalities: ['audio'], max_output_tokens: 'inf', audio: { output: { format: { type: 'audio/pcm', rate: SERVER_RATE }, voice: 'alloy' } } };
    this.send({ type: 'response.created', response: { ...base, status: 'in_progress', status_details: null, output: [], usage: null } });
    const lastItem = this.lastItemId ? this.items.get(this.lastItemId) : undefined;
    const afterOutputs = lastItem?.type === 'function_call_output' && options.callAgainAfterOutputs && !toolsForbidden;
    const calls = options.functionCalls.length > 0 && (lastItem?.role === 'user' || afterOutputs) ? options.functionCalls : [];
    const outputs: Record<string, unknown>[] = [];
    // Several calls in one response, each at its own output_index, as the real service sends them.
    for (const [index, call] of calls.entries()) outputs.push(await this.streamFunctionCall(response, call, index));
    if (calls.length === 0) outputs.push(await this.streamAudio(response, options.replyText(responseIndex)));
    this.response = null;
    const status = response.cancelled ? 'cancelled' : 'completed';
    this.send({
      type: 'response.done',
      response: {
        ...base,
        status,
        status_details: response.cancelled ? { type: 'cancelled', reason: 'client_cancelled' } : null,
        output: outputs,
        usage: { total_tokens: 120, input_tokens: 80, output_tokens: 40, input_token_details: { text_tokens: 20, audio_tokens: 60, cached_tokens: 0 }, output_token_details: { text_tokens: 10, audio_tokens: 30 } },
      },
    });
    for (const send of this.pendingTranscripts.splice(0)) send();
  }

  private async streamFunctionCall(response: ActiveResponse, call: { name: string; arguments: string }, outputIndex: number): Promise<Record<string, unknown>> {
    const itemId = newId('item');
    const callId = newId('call');
    const item = { id: itemId, object: 'realtime.item', type: 'function_call', status: 'in_progress', name: call.name, call_id: callId, arguments: '' };
    this.items.set(itemId, { id: itemId, type: 'function_call', role: null, audioSamples: 0 });
    this.lastItemId = itemId;
    const where = { response_id: response.id, item_id: itemId, output_index: outputIndex, call_id: callId };
    this.send({ type: 'response.output_item.added', response_id: response.id, output_index: outputIndex, item });
    this.send({ type: 'conversation.item.added', item });
    for (const delta of splitText(call.arguments, 2)) this.send({ type: 'response.function_call_arguments.delta', ...where, delta });
    this.send({ type: 'response.function_call_arguments.done', ...where, name: call.name, arguments: call.arguments });
    const done = { ...item, status: 'completed', arguments: call.arguments };
    this.send({ type: 'response.output_item.done', response_id: response.id, output_index: outputIndex, item: done });
    this.send({ type: 'conversation.item.done', item: done });
    await sleep(0);
    return done;
  }

  private async streamAudio(response: ActiveResponse, text: string): Promise<Record<string, unknown>> {
    const options = this.context.options;
    const itemId = newId('item');
    const partType = options.betaNames ? 'audio' : 'output_audio';
    const item = { id: itemId, object: 'realtime.item', type: 'message', status: 'in_progress', role: 'assistant', content: [] as unknown[] };
    const stored: Item = { id: itemId, type: 'message', role: 'assistant', audioSamples: 0 };
    this.items.set(itemId, stored);
    this.lastItemId = itemId;
    const where = { response_id: response.id, item_id: itemId, output_index: 0, content_index: 0 };
    this.send({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item });
    this.send({ type: 'conversation.item.added', item });
    // A real GA capture still labels this part "audio"; clients must accept both spellings.
    this.send({ type: 'response.content_part.added', ...where, part: { type: 'audio', transcript: '' } });
    const chunk = Math.max(1, Math.round((options.audioChunkMs / 1000) * SERVER_RATE));
    const audio = options.replyAudio;
    const chunks = Math.max(1, Math.ceil(audio.length / chunk));
    const pieces = splitText(text, chunks);
    const started = Date.now();
    let spoken = '';
    // Like the real service, a few deltas already in flight still go out after a cancel.
    let lateDeltas = options.deltasAfterCancel;
    for (let i = 0; i < chunks && !this.closed; i++) {
      if (response.cancelled && lateDeltas-- <= 0) break;
      const pcm = audio.subarray(i * chunk, Math.min(audio.length, (i + 1) * chunk));
      if (pieces[i]) {
        spoken += pieces[i];
        this.send({ type: 'response.output_audio_transcript.delta', ...where, delta: pieces[i] });
      }
      this.send({ type: 'response.output_audio.delta', ...where, delta: encodePcm(pcm), ...(options.betaNames ? {} : { obfuscation: randomBytes(4).toString('hex') }) });
      stored.audioSamples += pcm.length;
      // Paced: at the rate it is spoken, like the real service under load; otherwise as fast as the loop allows.
      const due = options.paceAudio ? started + ((i + 1) * options.audioChunkMs) : 0;
      await sleep(Math.max(0, due - Date.now()));
    }
    const finished = !response.cancelled;
    const transcript = finished ? text : spoken;
    if (finished) {
      this.send({ type: 'response.output_audio.done', ...where });
      this.send({ type: 'response.output_audio_transcript.done', ...where, transcript });
      this.send({ type: 'response.content_part.done', ...where, part: { type: 'audio', transcript } });
    }
    const done = { ...item, status: finished ? 'completed' : 'incomplete', content: [{ type: partType, transcript }] };
    this.send({ type: 'response.output_item.done', response_id: response.id, output_index: 0, item: done });
    this.send({ type: 'conversation.item.done', item: done });
    return done;
  }
}

function mergeAudio(current: unknown, update: unknown): unknown {
  if (typeof update !== 'object' || update === null) return current;
  const now = (typeof current === 'object' && current !== null ? current : {}) as Record<string, Record<string, unknown>>;
  const next = update as Record<string, Record<string, unknown> | undefined>;
  return { input: { ...now.input, ...next.input }, output: { ...now.output, ...next.output } };
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
