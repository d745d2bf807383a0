import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import { UserFacingError } from '../../user-facing-error';
import { streamBrokenError } from './chat-audio-errors';
import type { ChatCompletionToolDeclaration } from '../../tools/tool-catalog';
import type { ChatMessage } from './chat-history';
import type { ChatServer } from './chat-server';

/**
 * One `data:` payload of a streamed chat completion, as vLLM and OpenAI send it. Only the
 * fields Parley reads are checked; the rest (logprobs, token ids, usage) pass unread.
 */
const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            // A call arrives in pieces keyed by `index`: id and name first, then argument text.
            // A piece may lack `arguments` altogether (vLLM sends the name that way).
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().nonnegative().optional(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .optional(),
  // vLLM reports a failure after the stream started as a chunk holding only `error`.
  error: z.union([z.string(), z.object({ message: z.string() })]).optional(),
});

/** Why a stream could not be read to its end; the caller turns it into a UserFacingError. */
export class ChatStreamFault extends Error {
  override readonly name = 'ChatStreamFault';
  constructor(
    readonly kind: 'malformed' | 'no-done' | 'server-error',
    message: string,
  ) {
    super(message);
  }
}

/** A function call the model made, put together from its streamed pieces. */
export interface StreamedToolCall {
  id: string;
  name: string;
  /** The argument text as the model wrote it (may be empty or not JSON: the tool layer says so). */
  arguments: string;
}

export interface ChatStreamResult {
  text: string;
  /** The last `finish_reason` seen: `stop`, `tool_calls`, or `length` when the server's token limit cut the reply. */
  finishReason: string | null;
  /** The calls in the order of their `index`; empty when the model only wrote text. */
  toolCalls: StreamedToolCall[];
}

/**
 * Reads an SSE chat-completion body to `data: [DONE]`, calling `onDelta` with each piece of
 * text as it arrives. Throws ChatStreamFault when the stream is malformed, carries a server
 * error, or ends without `[DONE]`; errors from the body itself (abort, reset) pass through.
 */
async function readChatCompletionStream(
  body: AsyncIterable<Uint8Array>,
  onDelta: (delta: string) => void,
  onBytes: () => void = () => {},
): Promise<ChatStreamResult> {
  let text = '';
  let finishReason: string | null = null;
  const calls = new Map<number, StreamedToolCall>();
  let done = false;
  let fault: ChatStreamFault | null = null;

  const handleData = (data: string): void => {
    if (done || fault) return;
    if (data.trim() === '[DONE]') {
      done = true;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      fault = new ChatStreamFault('malformed', `a data line was not JSON: ${shorten(data)}`);
      return;
    }
    const chunk = ChunkSchema.safeParse(json);
    if (!chunk.success) {
      fault = new ChatStreamFault('malformed', `a data line was not a chat completion chunk: ${shorten(data)}`);
      return;
    }
    if (chunk.data.error !== undefined) {
      const message = typeof chunk.data.error === 'string' ? chunk.data.error : chunk.data.error.message;
      fault = new ChatStreamFault('server-error', message);
      return;
    }
    for (const choice of chunk.data.choices ?? []) {
      const delta = choice.delta?.content;
      if (delta) {
        text += delta;
        onDelta(delta);
      }
      (choice.delta?.tool_calls ?? []).forEach((piece, position) => {
        // Servers that send one whole call per chunk may leave out `index`: the position then says which.
        const index = piece.index ?? position;
        const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
        calls.set(index, call);
        if (piece.id && !call.id) call.id = piece.id;
        if (piece.function?.name && !call.name) call.name = piece.function.name;
        call.arguments += piece.function?.arguments ?? '';
      });
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  };

  const parser = createParser({
    onEvent: (event) => handleData(event.data),
    onError: (error) => {
      fault ??= new ChatStreamFault('malformed', `a line was not server-sent-event data: ${shorten(error.line ?? error.message)}`);
    },
  });
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    onBytes();
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (fault) throw fault;
    if (done) break;
  }
  if (!done) {
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
  }
  if (fault) throw fault;
  if (!done) throw new ChatStreamFault('no-done', 'the stream ended without [DONE]');
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    // A call id is what ties the tool's answer to the call; a server that sends none gets one made up.
    .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
  return { text, finishReason, toolCalls };
}

/**
 * POST /chat/completions with `stream: true` and reads the reply to its end. Rejects with a
 * UserFacingError, or RequestCancelled when `signal` aborts it.
 */
export async function streamChatCompletion(
  connection: ChatServer,
  request: { model: string; messages: ChatMessage[]; tools?: ChatCompletionToolDeclaration[] },
  signal: AbortSignal,
  callbacks: { onDelta: (delta: string) => void; onRequest?: (bodyBytes: number) => void; onResponse?: () => void },
): Promise<ChatStreamResult> {
  // No `tools` field at all when there are none: servers without tool support refuse even an empty list.
  const tools = request.tools?.length ? { tools: request.tools, tool_choice: 'auto' } : {};
  const body = JSON.stringify({ model: request.model, messages: request.messages, ...tools, stream: true, stream_options: { include_usage: true } });
  callbacks.onRequest?.(Buffer.byteLength(body));
  const { response, exchange } = await connection.send('chat', '/chat/completions', { method: 'POST', body, json: true, model: request.model }, signal);
  callbacks.onResponse?.();
  try {
    if (!response.body) throw new ChatStreamFault('no-done', 'the response had no body');
    return await readChatCompletionStream(response.body, callbacks.onDelta, () => exchange.touch());
  } catch (error) {
    if (error instanceof ChatStreamFault && error.kind === 'server-error') {
      throw new UserFacingError('server', `The server at ${connection.baseUrl} failed while answering: ${error.message}. What arrived is kept; retry to ask again.`, {
        text: { key: 'errors.chatAudio.serverFailed', params: { url: connection.baseUrl, detail: error.message } },
      });
    }
    throw error instanceof ChatStreamFault ? streamBrokenError(exchange.context, error.message) : exchange.explain(error, true);
  } finally {
    exchange.close();
  }
}

function shorten(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > 80 ? `"${trimmed.slice(0, 80)}…"` : `"${trimmed}"`;
}
