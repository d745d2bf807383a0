import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Mid-stream failures: `no-done` ends the body without `data: [DONE]`; `malformed-sse` sends a
 * data line that is not JSON; `stream-error` sends vLLM's in-stream error chunk; `hang-mid-stream`
 * goes silent after the first words; `drop-connection` destroys the socket after them.
 */
export type StreamFault = 'no-done' | 'malformed-sse' | 'stream-error' | 'hang-mid-stream' | 'drop-connection' | 'length-limit';

/** vLLM's ErrorResponse: `{"error":{"message","type","param","code"}}`, `code` being the HTTP status. */
export function writeChatError(res: ServerResponse, status: number, type: string, message: string, param: string | null = null): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param, code: status } }));
}

/** The reply in the pieces a tokenizer would stream: words with their trailing spaces. */
export function replyPieces(reply: string): string[] {
  return reply.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * Streams a chat completion framed as vLLM frames it: a role chunk with empty content, one
 * chunk per piece, a chunk with `finish_reason: "stop"`, a usage chunk with no choices when
 * the client asked for `stream_options.include_usage`, then `data: [DONE]`.
 */
export async function streamChatReply(
  res: ServerResponse,
  options: { model: string; reply: string; includeUsage: boolean; delayMs: number; fault?: StreamFault; onPiece?: (piece: string) => void },
): Promise<void> {
  const id = `chatcmpl-${randomBytes(16).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: options.model, choices, ...extra })}\n\n`;
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
    ...(finishReason ? { stop_reason: null } : {}),
  });
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, options.delayMs));

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  res.write(chunk([choice({ role: 'assistant', content: '' })]));
  const pieces = replyPieces(options.reply);
  for (const [index, piece] of pieces.entries()) {
    if (res.destroyed) return;
    if (options.delayMs > 0) await pause();
    const written = new Promise((resolve) => res.write(chunk([choice({ content: piece })]), resolve));
    options.onPiece?.(piece);
    if (index === 0 && options.fault) {
      if (options.fault === 'hang-mid-stream') return;
      if (options.fault === 'drop-connection') {
        // Only once the first words are on the wire, so the client is mid-stream.
        await written;
        await new Promise((resolve) => setTimeout(resolve, 20));
        res.destroy();
        return;
      }
      if (options.fault === 'malformed-sse') res.write('data: {"id": "chatcmpl-broken", "choices": [\n\n');
      if (options.fault === 'stream-error') {
        res.write(`data: ${JSON.stringify({ error: { message: 'The engine ran out of KV cache.', type: 'InternalServerError', param: null, code: 500 } })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  }
  if (res.destroyed) return;
  // `length` is how vLLM says max_tokens ended the answer.
  res.write(chunk([choice({}, options.fault === 'length-limit' ? 'length' : 'stop')]));
  if (options.includeUsage) {
    const completion = pieces.length;
    res.write(chunk([], { usage: { prompt_tokens: 120, total_tokens: 120 + completion, completion_tokens: completion } }));
  }
  if (options.fault === 'no-done') {
    res.end();
    return;
  }
  res.end('data: [DONE]\n\n');
}

/** The whole request body, with `performance.now()` of its first and last bytes. */
export async function readBody(req: IncomingMessage): Promise<{ body: Buffer; firstByteAt: number; lastByteAt: number }> {
  const chunks: Buffer[] = [];
  let firstByteAt = Number.NaN;
  let lastByteAt = Number.NaN;
  for await (const chunk of req) {
    if (chunks.length === 0) firstByteAt = performance.now();
    lastByteAt = performance.now();
    chunks.push(chunk as Buffer);
  }
  return { body: Buffer.concat(chunks), firstByteAt, lastByteAt };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
