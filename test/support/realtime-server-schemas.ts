import { z } from 'zod';

/**
 * Strict shapes of the GA Realtime client events, as the loopback server checks them. Unknown
 * fields are errors (that is how beta leftovers such as `session.modalities` or `temperature`
 * get caught), and the messages follow the wording of OpenAI's own validation errors.
 */

const eventId = z.string().min(1).max(512).optional();
const audioFormat = z.union([
  z.strictObject({ type: z.literal('audio/pcm'), rate: z.literal(24000) }),
  z.strictObject({ type: z.enum(['audio/pcmu', 'audio/pcma']) }),
]);
const turnDetection = z
  .strictObject({
    type: z.enum(['server_vad', 'semantic_vad']),
    threshold: z.number().optional(),
    prefix_padding_ms: z.number().int().optional(),
    silence_duration_ms: z.number().int().optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
    idle_timeout_ms: z.number().int().nullable().optional(),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
  })
  .nullable();
const functionTool = z.strictObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
const toolChoice = z.union([z.enum(['auto', 'none', 'required']), z.strictObject({ type: z.literal('function'), name: z.string() })]);
const modalities = z.array(z.enum(['audio', 'text'])).min(1);
const maxTokens = z.union([z.number().int().min(1).max(4096), z.literal('inf')]);

export const sessionSchema = z.strictObject({
  type: z.literal('realtime'),
  model: z.string().optional(),
  instructions: z.string().optional(),
  output_modalities: modalities.optional(),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: audioFormat.optional(),
          turn_detection: turnDetection.optional(),
          transcription: z.strictObject({ model: z.string().min(1), language: z.string().optional(), prompt: z.string().optional() }).nullable().optional(),
          noise_reduction: z.strictObject({ type: z.enum(['near_field', 'far_field']) }).nullable().optional(),
        })
        .optional(),
      output: z.strictObject({ format: audioFormat.optional(), voice: z.string().min(1).optional(), speed: z.number().min(0.25).max(1.5).optional() }).optional(),
    })
    .optional(),
  tools: z.array(functionTool).optional(),
  tool_choice: toolChoice.optional(),
  max_output_tokens: maxTokens.optional(),
  tracing: z.unknown().optional(),
  truncation: z.unknown().optional(),
  include: z.array(z.literal('item.input_audio_transcription.logprobs')).optional(),
});

const itemCommon = {
  id: z.string().min(1).max(32).optional(),
  object: z.literal('realtime.item').optional(),
  status: z.enum(['completed', 'incomplete', 'in_progress']).optional(),
};
const userContent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('input_text'), text: z.string() }),
  z.strictObject({ type: z.literal('input_audio'), audio: z.string().optional(), transcript: z.string().optional() }),
  z.strictObject({ type: z.literal('input_image'), image_url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
]);
export const itemSchema = z.union([
  z.strictObject({ ...itemCommon, type: z.literal('message'), role: z.literal('user'), content: z.array(userContent).min(1) }),
  z.strictObject({ ...itemCommon, type: z.literal('message'), role: z.literal('system'), content: z.array(z.strictObject({ type: z.literal('input_text'), text: z.string() })).min(1) }),
  z.strictObject({
    ...itemCommon,
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(z.strictObject({ type: z.enum(['output_text', 'output_audio']), text: z.string().optional(), audio: z.string().optional(), transcript: z.string().optional() })).min(1),
  }),
  z.strictObject({ ...itemCommon, type: z.literal('function_call'), name: z.string(), arguments: z.string(), call_id: z.string().optional() }),
  z.strictObject({ ...itemCommon, type: z.literal('function_call_output'), call_id: z.string().min(1), output: z.string() }),
]);

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Invalid base64 audio');

export const clientEventSchemas = {
  'session.update': z.strictObject({ type: z.literal('session.update'), event_id: eventId, session: sessionSchema }),
  'input_audio_buffer.append': z.strictObject({ type: z.literal('input_audio_buffer.append'), event_id: eventId, audio: base64 }),
  'input_audio_buffer.commit': z.strictObject({ type: z.literal('input_audio_buffer.commit'), event_id: eventId }),
  'input_audio_buffer.clear': z.strictObject({ type: z.literal('input_audio_buffer.clear'), event_id: eventId }),
  'conversation.item.create': z.strictObject({
    type: z.literal('conversation.item.create'),
    event_id: eventId,
    previous_item_id: z.string().nullable().optional(),
    item: itemSchema,
  }),
  'conversation.item.retrieve': z.strictObject({ type: z.literal('conversation.item.retrieve'), event_id: eventId, item_id: z.string() }),
  'conversation.item.delete': z.strictObject({ type: z.literal('conversation.item.delete'), event_id: eventId, item_id: z.string() }),
  // audio_end_ms is checked by hand for its exact error messages.
  'conversation.item.truncate': z.strictObject({
    type: z.literal('conversation.item.truncate'),
    event_id: eventId,
    item_id: z.string(),
    content_index: z.number().int().min(0),
    audio_end_ms: z.number(),
  }),
  'response.create': z.strictObject({
    type: z.literal('response.create'),
    event_id: eventId,
    response: z
      .strictObject({
        conversation: z.string().optional(),
        instructions: z.string().optional(),
        output_modalities: modalities.optional(),
        input: z.array(itemSchema).optional(),
        tools: z.array(functionTool).optional(),
        tool_choice: toolChoice.optional(),
        metadata: z.record(z.string(), z.string()).nullable().optional(),
        max_output_tokens: maxTokens.optional(),
        audio: z.strictObject({ output: z.strictObject({ format: audioFormat.optional(), voice: z.string().optional() }).optional() }).optional(),
      })
      .optional(),
  }),
  'response.cancel': z.strictObject({ type: z.literal('response.cancel'), event_id: eventId, response_id: z.string().optional() }),
} as const;

export type ClientEventType = keyof typeof clientEventSchemas;
export type ValidClientEvent = { [K in ClientEventType]: z.infer<(typeof clientEventSchemas)[K]> }[ClientEventType];

export interface RealtimeErrorBody {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}

/** Parses one client message; on failure returns the error a real server would send. */
export function validateClientEvent(raw: unknown): { ok: true; event: ValidClientEvent } | { ok: false; error: RealtimeErrorBody } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === 'string' ? raw : String(raw));
  } catch {
    return { ok: false, error: invalid('invalid_json', "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", null, null) };
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const id = typeof record.event_id === 'string' ? record.event_id : null;
  const type = record.type;
  if (typeof type !== 'string' || !(type in clientEventSchemas)) {
    const supported = Object.keys(clientEventSchemas).map((t) => `'${t}'`).join(', ');
    return { ok: false, error: invalid('invalid_value', `Invalid value: '${String(type)}'. Supported values are: ${supported}.`, 'type', id) };
  }
  const result = clientEventSchemas[type as ClientEventType].safeParse(parsed);
  if (result.success) return { ok: true, event: result.data as ValidClientEvent };
  const issue = result.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  if (issue?.code === 'unrecognized_keys') {
    const key = [path, issue.keys[0]].filter(Boolean).join('.');
    return { ok: false, error: invalid('unknown_parameter', `Unknown parameter: '${key}'.`, key, id) };
  }
  if (issue?.code === 'invalid_type' && readPath(parsed, issue.path) === undefined) {
    return { ok: false, error: invalid('missing_required_parameter', `Missing required parameter: '${path}'.`, path, id) };
  }
  if (issue?.code === 'invalid_type') {
    return { ok: false, error: invalid('invalid_type', `Invalid type for '${path}': expected ${issue.expected}.`, path, id) };
  }
  return { ok: false, error: invalid('invalid_value', `Invalid value for '${path}': ${issue?.message ?? 'invalid'}.`, path, id) };
}

export function invalid(code: string | null, message: string, param: string | null, eventId: string | null): RealtimeErrorBody {
  return { type: 'invalid_request_error', code, message, param, event_id: eventId };
}

function readPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
