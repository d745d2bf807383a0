import { createParser } from 'eventsource-parser';
import { z } from 'zod';

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

function shorten(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > 80 ? `"${trimmed.slice(0, 80)}…"` : `"${trimmed}"`;
}
