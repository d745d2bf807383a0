import { z } from 'zod';
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { base64ToPcm16 } from './pcm16-base64';

/**
 * Turns a raw server message into the few events the backend acts on. Accepts the GA event
 * names and the beta names that compatible servers (and Azure's preview path) still speak;
 * extra fields such as `obfuscation` are dropped by the schemas.
 */
export type ParsedServerEvent =
  | { kind: 'session-created'; expiresAt: number | null }
  | { kind: 'session-updated' }
  | { kind: 'committed'; itemId: string }
  | { kind: 'item-known'; itemId: string }
  | { kind: 'item-deleted'; itemId: string }
  | { kind: 'user-transcript-delta'; itemId: string; delta: string }
  | { kind: 'user-transcript-done'; itemId: string; transcript: string }
  | { kind: 'user-transcript-failed'; itemId: string; message: string }
  | { kind: 'response-created'; responseId: string }
  | { kind: 'assistant-item'; responseId: string; itemId: string }
  | { kind: 'audio-delta'; responseId: string; itemId: string; pcm: Int16Array }
  | { kind: 'text-delta'; responseId: string; itemId: string; delta: string }
  | { kind: 'text-done'; responseId: string; itemId: string; text: string }
  | { kind: 'function-call'; callId: string; name: string; arguments: string }
  | { kind: 'response-done'; responseId: string; status: ResponseStatus; failure: ResponseFailure | null }
  | { kind: 'error'; type: string; code: string | null; message: string; param: string | null; eventId: string | null }
  | { kind: 'ignored'; type: string }
  | { kind: 'malformed'; type: string; problem: string };

export interface ResponseFailure {
  type: string;
  code: string | null;
  message: string;
}

export type ResponseStatus = 'completed' | 'cancelled' | 'incomplete' | 'failed';

type GaType = RealtimeServerEvent['type'];

/** Beta names → GA names. Anything not listed is already GA or irrelevant. */
const BETA_NAMES: Record<string, GaType> = {
  'conversation.item.created': 'conversation.item.added',
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
};

const str = z.string();
const withItem = z.object({ item_id: str });
const item = z.object({ id: str.optional(), type: str, role: str.optional(), call_id: str.optional(), name: str.optional(), arguments: str.optional() });
const inResponse = z.object({ response_id: str, item_id: str });
const response = z.object({
  id: str.optional(),
  status: str.optional(),
  status_details: z
    .object({ reason: str.nullish(), error: z.object({ type: str.nullish(), code: str.nullish(), message: str.nullish() }).nullish() })
    .nullish(),
});

const schemas = {
  'session.created': z.object({ session: z.object({ expires_at: z.number().nullish() }).loose() }),
  'conversation.item.added': z.object({ item }),
  'conversation.item.done': z.object({ item }),
  'conversation.item.deleted': withItem,
  'input_audio_buffer.committed': withItem,
  'conversation.item.input_audio_transcription.delta': withItem.extend({ delta: str.default('') }),
  'conversation.item.input_audio_transcription.completed': withItem.extend({ transcript: str }),
  'conversation.item.input_audio_transcription.failed': withItem.extend({ error: z.object({ message: str.nullish() }).nullish() }),
  'response.created': z.object({ response }),
  'response.output_item.added': z.object({ response_id: str, item }),
  'response.output_item.done': z.object({ response_id: str, item }),
  'response.output_audio.delta': inResponse.extend({ delta: str }),
  'response.output_audio_transcript.delta': inResponse.extend({ delta: str }),
  'response.output_text.delta': inResponse.extend({ delta: str }),
  'response.output_audio_transcript.done': inResponse.extend({ transcript: str }),
  'response.output_text.done': inResponse.extend({ text: str }),
  'response.function_call_arguments.done': z.object({ call_id: str, name: str.optional(), arguments: str }),
  'response.done': z.object({ response }),
  error: z.object({
    error: z.object({ type: str.nullish(), code: str.nullish(), message: str.nullish(), param: str.nullish(), event_id: str.nullish() }),
  }),
} satisfies Partial<Record<GaType, z.ZodType>>;

type Known = keyof typeof schemas;
type Parsed<K extends Known> = z.infer<(typeof schemas)[K]>;

const STATUSES: readonly string[] = ['completed', 'cancelled', 'incomplete', 'failed'];

export function parseServerMessage(raw: string): ParsedServerEvent {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { kind: 'malformed', type: '?', problem: 'not JSON' };
  }
  if (typeof message !== 'object' || message === null || !('type' in message) || typeof message.type !== 'string') {
    return { kind: 'malformed', type: '?', problem: 'no type' };
  }
  const type = BETA_NAMES[message.type] ?? message.type;
  if (type === 'session.updated') return { kind: 'session-updated' };
  if (!(type in schemas)) return { kind: 'ignored', type };
  const known = type as Known;
  const parsed = schemas[known].safeParse(message);
  if (!parsed.success) return { kind: 'malformed', type, problem: z.prettifyError(parsed.error) };
  return toParsedEvent(known, parsed.data);
}

function toParsedEvent(type: Known, data: Parsed<Known>): ParsedServerEvent {
  switch (type) {
    case 'session.created':
      return { kind: 'session-created', expiresAt: (data as Parsed<'session.created'>).session.expires_at ?? null };
    case 'conversation.item.added':
    case 'conversation.item.done': {
      const { item: it } = data as Parsed<'conversation.item.added'>;
      return it.id ? { kind: 'item-known', itemId: it.id } : { kind: 'ignored', type };
    }
    case 'conversation.item.deleted':
      return { kind: 'item-deleted', itemId: (data as Parsed<'conversation.item.deleted'>).item_id };
    case 'input_audio_buffer.committed':
      return { kind: 'committed', itemId: (data as Parsed<'input_audio_buffer.committed'>).item_id };
    case 'conversation.item.input_audio_transcription.delta': {
      const e = data as Parsed<typeof type>;
      return { kind: 'user-transcript-delta', itemId: e.item_id, delta: e.delta };
    }
    case 'conversation.item.input_audio_transcription.completed': {
      const e = data as Parsed<typeof type>;
      return { kind: 'user-transcript-done', itemId: e.item_id, transcript: e.transcript };
    }
    case 'conversation.item.input_audio_transcription.failed': {
      const e = data as Parsed<typeof type>;
      return { kind: 'user-transcript-failed', itemId: e.item_id, message: e.error?.message ?? 'transcription failed' };
    }
    case 'response.created':
      return { kind: 'response-created', responseId: (data as Parsed<'response.created'>).response.id ?? '' };
    case 'response.output_item.added': {
      const e = data as Parsed<typeof type>;
      const isAssistant = e.item.type === 'message' && e.item.role === 'assistant' && e.item.id;
      return isAssistant && e.item.id ? { kind: 'assistant-item', responseId: e.response_id, itemId: e.item.id } : { kind: 'ignored', type };
    }
    case 'response.output_item.done': {
      const { item: it } = data as Parsed<typeof type>;
      if (it.type !== 'function_call' || !it.call_id || !it.name) return { kind: 'ignored', type };
      return { kind: 'function-call', callId: it.call_id, name: it.name, arguments: it.arguments ?? '' };
    }
    case 'response.function_call_arguments.done': {
      const e = data as Parsed<typeof type>;
      return e.name ? { kind: 'function-call', callId: e.call_id, name: e.name, arguments: e.arguments } : { kind: 'ignored', type };
    }
    case 'response.output_audio.delta': {
      const e = data as Parsed<typeof type>;
      return { kind: 'audio-delta', responseId: e.response_id, itemId: e.item_id, pcm: base64ToPcm16(e.delta) };
    }
    case 'response.output_audio_transcript.delta':
    case 'response.output_text.delta': {
      const e = data as Parsed<typeof type>;
      return { kind: 'text-delta', responseId: e.response_id, itemId: e.item_id, delta: e.delta };
    }
    case 'response.output_audio_transcript.done': {
      const e = data as Parsed<typeof type>;
      return { kind: 'text-done', responseId: e.response_id, itemId: e.item_id, text: e.transcript };
    }
    case 'response.output_text.done': {
      const e = data as Parsed<typeof type>;
      return { kind: 'text-done', responseId: e.response_id, itemId: e.item_id, text: e.text };
    }
    case 'response.done': {
      const r = (data as Parsed<'response.done'>).response;
      const status = (STATUSES.includes(r.status ?? '') ? r.status : 'completed') as ResponseStatus;
      const error = r.status_details?.error;
      const failure = status === 'failed' ? { type: error?.type ?? 'response_failed', code: error?.code ?? null, message: error?.message ?? r.status_details?.reason ?? '' } : null;
      return { kind: 'response-done', responseId: r.id ?? '', status, failure };
    }
    case 'error': {
      const e = (data as Parsed<'error'>).error;
      return {
        kind: 'error',
        type: e.type ?? 'server_error',
        code: e.code ?? null,
        message: e.message ?? '',
        param: e.param ?? null,
        eventId: e.event_id ?? null,
      };
    }
  }
}
