import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { RequestRejected } from './chat-audio-server-validation';

/**
 * Tool calling as vLLM serves it (`--enable-auto-tool-choice --tool-call-parser …`): the checks
 * it applies to `tools`, `tool_choice` and the messages of a tool exchange, and a streamed reply
 * that calls tools, framed chunk by chunk as vLLM frames it.
 */

export interface DeclaredTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ParsedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A reply that calls tools: optional words first, then the calls. */
export interface ScriptedToolReply {
  text?: string;
  calls: Array<{ name: string; arguments: string }>;
  /**
   * How each call's first chunk looks: vLLM's parsers send `function: {name}` with no
   * `arguments` key at all; OpenAI sends `arguments: ""`.
   */
  header?: 'without-arguments' | 'with-empty-arguments';
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `tools` and `tool_choice` of a request body, checked as vLLM's request model checks them. */
export function parseTools(body: Record<string, unknown>): { tools: DeclaredTool[]; toolChoice: unknown } {
  const raw = body['tools'];
  const toolChoice = body['tool_choice'];
  if (raw === undefined) {
    if (toolChoice !== undefined && toolChoice !== 'none') throw new RequestRejected('When using `tool_choice`, `tools` must be set.');
    return { tools: [], toolChoice };
  }
  if (!Array.isArray(raw)) throw new RequestRejected('tools: must be a list');
  const tools = raw.map((tool: unknown, index): DeclaredTool => {
    const fn = isRecord(tool) ? tool['function'] : undefined;
    if (!isRecord(tool) || tool['type'] !== 'function' || !isRecord(fn)) throw new RequestRejected(`tools[${index}]: {type:"function", function:{…}} is required`);
    const name = fn['name'];
    if (typeof name !== 'string' || !NAME.test(name)) throw new RequestRejected(`tools[${index}].function.name: ${JSON.stringify(name)} does not match ${NAME.source}`);
    const parameters = fn['parameters'];
    if (parameters !== undefined && (!isRecord(parameters) || parameters['type'] !== 'object')) throw new RequestRejected(`tools[${index}].function.parameters: must be an object schema`);
    return { name, description: typeof fn['description'] === 'string' ? fn['description'] : '', parameters: (parameters as Record<string, unknown>) ?? {} };
  });
  if (toolChoice !== undefined && toolChoice !== 'auto' && toolChoice !== 'none' && toolChoice !== 'required' && !isRecord(toolChoice)) {
    throw new RequestRejected(`tool_choice: ${JSON.stringify(toolChoice)} is not auto, none, required or a named function`);
  }
  return { tools, toolChoice };
}

/** An assistant message's `tool_calls`; arguments must parse as JSON, since vLLM parses them to render its chat template. */
export function parseToolCalls(raw: unknown, where: string): ParsedToolCall[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new RequestRejected(`${where}.tool_calls: a non-empty list is required`);
  return raw.map((call: unknown, index): ParsedToolCall => {
    const at = `${where}.tool_calls[${index}]`;
    const fn = isRecord(call) ? call['function'] : undefined;
    if (!isRecord(call) || typeof call['id'] !== 'string' || !call['id'] || call['type'] !== 'function' || !isRecord(fn)) {
      throw new RequestRejected(`${at}: {id, type:"function", function:{name, arguments}} is required`);
    }
    const { name, arguments: args } = fn;
    if (typeof name !== 'string' || typeof args !== 'string') throw new RequestRejected(`${at}.function: name and arguments must be strings`);
    try {
      JSON.parse(args);
    } catch {
      throw new RequestRejected(`${at}.function.arguments: not valid JSON: ${args}`);
    }
    return { id: call['id'], name, arguments: args };
  });
}

/**
 * The order rule of a tool exchange: an assistant message with `tool_calls` is followed at once
 * by one tool message per call id, and a tool message answers a call of the assistant message
 * just before its run of tool messages.
 */
export function checkToolOrder(messages: ReadonlyArray<{ role: string; toolCalls?: ParsedToolCall[]; toolCallId?: string }>): void {
  let open: Set<string> | null = null;
  messages.forEach((message, index) => {
    if (message.role === 'tool') {
      if (!open || !message.toolCallId || !open.has(message.toolCallId)) {
        throw new RequestRejected(`messages[${index}]: tool message for ${JSON.stringify(message.toolCallId)} does not answer a call of the assistant message before it`);
      }
      open.delete(message.toolCallId);
      return;
    }
    if (open && open.size > 0) throw new RequestRejected(`messages[${index}]: the calls ${[...open].join(', ')} have no tool message before this ${message.role} message`);
    open = message.toolCalls ? new Set(message.toolCalls.map((call) => call.id)) : null;
  });
  if (open && (open as Set<string>).size > 0) throw new RequestRejected(`messages: the calls ${[...(open as Set<string>)].join(', ')} have no tool message`);
}

/** The argument text in the small pieces a tool parser streams it in. */
function argumentPieces(text: string): string[] {
  return text.match(/[\s\S]{1,6}/g) ?? [];
}

/**
 * Streams a reply that calls tools, as vLLM does: a role chunk, any words, then per call a
 * header chunk (index, id, type, name) and argument pieces `{index, function:{arguments}}`,
 * then `finish_reason: "tool_calls"`, usage when asked for, and `[DONE]`.
 */
export async function streamToolCallReply(
  res: ServerResponse,
  options: { model: string; reply: ScriptedToolReply; calls: ParsedToolCall[]; includeUsage: boolean; delayMs: number },
): Promise<void> {
  const id = `chatcmpl-${randomBytes(16).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const write = async (delta: Record<string, unknown>, finishReason: string | null = null): Promise<void> => {
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason, ...(finishReason ? { stop_reason: null } : {}) };
    if (!res.destroyed) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: options.model, choices: [choice] })}\n\n`);
  };
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  await write({ role: 'assistant', content: '' });
  for (const piece of options.reply.text?.match(/\S+\s*|\s+/g) ?? []) await write({ content: piece });
  for (const [index, call] of options.calls.entries()) {
    const header = options.reply.header === 'with-empty-arguments' ? { name: call.name, arguments: '' } : { name: call.name };
    await write({ tool_calls: [{ index, id: call.id, type: 'function', function: header }] });
    for (const piece of argumentPieces(call.arguments)) await write({ tool_calls: [{ index, function: { arguments: piece } }] });
  }
  if (res.destroyed) return;
  await write({}, 'tool_calls');
  if (options.includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: options.model, choices: [], usage: { prompt_tokens: 120, total_tokens: 140, completion_tokens: 20 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** A call id as vLLM makes them. */
export function newToolCallId(): string {
  return `chatcmpl-tool-${randomBytes(8).toString('hex')}`;
}
