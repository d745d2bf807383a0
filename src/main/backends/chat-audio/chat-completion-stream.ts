import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import { UserFacingError } from '../../user-facing-error';
import { streamBrokenError } from './chat-audio-errors';
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
        delta: z.object({ content: z.string().nullish() }).nullish(),
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

export interface ChatStreamResult {
  text: string;
  /** The last `finish_reason` seen: `stop`, or `length` when the server's token limit cut the reply. */
  finishReason: string | null;
}

/**
 * Reads an SSE chat-completion body to `data: [DONE]`, calling `onDelta` with each piece of
 * text as it arrives. Throws ChatStreamFault when the stream is malformed, carries a server
 * error, or ends without `[DONE]`; errors from the body itself (abort, reset) pass through.
 */
export async function readChatCompletionStream(
  body: AsyncIterable<Uint8Array>,
  onDelta: (delta: string) => void,
  onBytes: () => void = () => {},
): Promise<ChatStreamResult> {
  let text = '';
  let finishReason: string | null = null;
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
  return { text, finishReason };
}

/**
 * POST /chat/completions with `stream: true` and reads the reply to its end. Rejects with a
 * UserFacingError, or RequestCancelled when `signal` aborts it.
 */
export async function streamChatCompletion(
  connection: ChatServer,
  request: { model: string; messages: ChatMessage[] },
  signal: AbortSignal,
  callbacks: { onDelta: (delta: string) => void; onRequest?: (bodyBytes: number) => void; onResponse?: () => void },
): Promise<ChatStreamResult> {
  const body = JSON.stringify({ model: request.model, messages: request.messages, stream: true, stream_options: { include_usage: true } });
  callbacks.onRequest?.(Buffer.byteLength(body));
  const { response, exchange } = await connection.send('chat', '/chat/completions', { method: 'POST', body, json: true, model: request.model }, signal);
  callbacks.onResponse?.();
  try {
    if (!response.body) throw new ChatStreamFault('no-done', 'the response had no body');
    return await readChatCompletionStream(response.body, callbacks.onDelta, () => exchange.touch());
  } catch (error) {
    if (error instanceof ChatStreamFault && error.kind === 'server-error') {
      throw new UserFacingError('server', `The server at ${connection.baseUrl} failed while answering: ${error.message}. What arrived is kept; retry to ask again.`, {
        action: 'retry',
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
