/**
 * Strict checks the loopback vLLM stand-in applies to what a client sends: written apart
 * from Parley's encoder so a bug there cannot hide itself here.
 */

import { checkToolOrder, parseToolCalls, parseTools, type DeclaredTool, type ParsedToolCall } from './chat-audio-server-tools';

export interface DecodedWav {
  sampleRate: number;
  samples: Int16Array;
}

export type AudioPartForm = 'input_audio' | 'audio_url';

export interface RecordedAudioPart {
  /** Index into the request's messages. */
  messageIndex: number;
  form: AudioPartForm;
  wav: DecodedWav;
}

export interface ParsedChatRequest {
  model: string;
  messages: ParsedMessage[];
  includeUsage: boolean;
  audio: RecordedAudioPart[];
  /** The `tools` declared (empty when the field was absent) and `tool_choice` as sent. */
  tools: DeclaredTool[];
  toolChoice: unknown;
}

export interface ParsedMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text parts joined; empty when the message is only audio (or an assistant's content was null). */
  text: string;
  /** How many audio parts the message carried. */
  audioParts: number;
  /** An assistant message's `tool_calls`. */
  toolCalls?: ParsedToolCall[];
  /** A tool message's `tool_call_id`. */
  toolCallId?: string;
}

export class RequestRejected extends Error {}

const DATA_URL_PREFIX = 'data:audio/wav;base64,';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a RIFF/WAVE file that must be PCM16 mono; throws RequestRejected naming what is wrong. */
export function decodeWav(file: Buffer): DecodedWav {
  const fail = (why: string): never => {
    throw new RequestRejected(`Invalid WAV file: ${why}`);
  };
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') fail('no RIFF/WAVE header');
  if (file.readUInt32LE(4) !== file.length - 8) fail(`RIFF size ${file.readUInt32LE(4)} does not match the file (${file.length - 8})`);
  let offset = 12;
  let format: { rate: number } | null = null;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (body + size > file.length) fail(`chunk "${id}" runs past the end of the file`);
    if (id === 'fmt ') {
      if (size < 16) fail('fmt chunk too short');
      const audioFormat = file.readUInt16LE(body);
      const channels = file.readUInt16LE(body + 2);
      const rate = file.readUInt32LE(body + 4);
      const byteRate = file.readUInt32LE(body + 8);
      const blockAlign = file.readUInt16LE(body + 12);
      const bits = file.readUInt16LE(body + 14);
      if (audioFormat !== 1) fail(`format ${audioFormat} is not integer PCM`);
      if (channels !== 1) fail(`${channels} channels, expected mono`);
      if (bits !== 16) fail(`${bits} bits per sample, expected 16`);
      if (blockAlign !== 2 || byteRate !== rate * 2) fail('byte rate or block align inconsistent with PCM16 mono');
      format = { rate };
    } else if (id === 'data') {
      if (!format) fail('data chunk before fmt chunk');
      if (size % 2 !== 0) fail('odd data size for PCM16');
      const samples = new Int16Array(size / 2);
      for (let i = 0; i < samples.length; i += 1) samples[i] = file.readInt16LE(body + i * 2);
      return { sampleRate: format?.rate ?? 0, samples };
    }
    offset = body + size + (size % 2);
  }
  return fail('no data chunk');
}

function decodeBase64Wav(data: unknown, where: string): DecodedWav {
  if (typeof data !== 'string' || data.length === 0) throw new RequestRejected(`${where}: audio data must be a non-empty base64 string`);
  if (!BASE64.test(data)) throw new RequestRejected(`${where}: audio data is not valid base64`);
  return decodeWav(Buffer.from(data, 'base64'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a /v1/chat/completions body the way the test expects Parley to send it. */
export function parseChatRequest(raw: string, acceptedForms: readonly AudioPartForm[]): ParsedChatRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new RequestRejected('The request body is not JSON');
  }
  if (!isRecord(body)) throw new RequestRejected('The request body is not a JSON object');
  if (typeof body['model'] !== 'string' || !body['model']) throw new RequestRejected('model: a non-empty string is required');
  if (body['stream'] !== true) throw new RequestRejected('stream: this server expects stream=true');
  const streamOptions = body['stream_options'];
  if (streamOptions !== undefined && !isRecord(streamOptions)) throw new RequestRejected('stream_options: must be an object');
  const messagesRaw = body['messages'];
  if (!Array.isArray(messagesRaw) || messagesRaw.length === 0) throw new RequestRejected('messages: a non-empty list is required');

  const audio: RecordedAudioPart[] = [];
  const messages = messagesRaw.map((message: unknown, index): ParsedMessage => {
    const where = `messages[${index}]`;
    if (!isRecord(message)) throw new RequestRejected(`${where}: must be an object`);
    const role = message['role'];
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') throw new RequestRejected(`${where}.role: unknown role ${String(role)}`);
    const content = message['content'];
    if (role === 'tool') {
      const toolCallId = message['tool_call_id'];
      if (typeof toolCallId !== 'string' || typeof content !== 'string') throw new RequestRejected(`${where}: a tool message needs tool_call_id and string content`);
      return { role, text: content, audioParts: 0, toolCallId };
    }
    if (role === 'assistant' && message['tool_calls'] !== undefined) {
      if (content !== null && typeof content !== 'string') throw new RequestRejected(`${where}.content: null or a string beside tool_calls`);
      return { role, text: content ?? '', audioParts: 0, toolCalls: parseToolCalls(message['tool_calls'], where) };
    }
    if (typeof content === 'string') return { role, text: content, audioParts: 0 };
    if (!Array.isArray(content) || content.length === 0) throw new RequestRejected(`${where}.content: a string or a non-empty list of parts is required`);
    let text = '';
    let audioParts = 0;
    content.forEach((part: unknown, partIndex) => {
      const at = `${where}.content[${partIndex}]`;
      if (!isRecord(part)) throw new RequestRejected(`${at}: must be an object`);
      if (part['type'] === 'text' && typeof part['text'] === 'string') {
        text += part['text'];
        return;
      }
      if (role !== 'user') throw new RequestRejected(`${at}: only user messages may carry audio`);
      if (part['type'] === 'input_audio') {
        const inner = part['input_audio'];
        if (!isRecord(inner) || inner['format'] !== 'wav') throw new RequestRejected(`${at}.input_audio: {data, format:"wav"} is required`);
        if (!acceptedForms.includes('input_audio')) throw new RequestRejected(`${at}: this server takes audio only as ${acceptedForms.join(', ')}`);
        audio.push({ messageIndex: index, form: 'input_audio', wav: decodeBase64Wav(inner['data'], at) });
      } else if (part['type'] === 'audio_url') {
        const inner = part['audio_url'];
        const url = isRecord(inner) ? inner['url'] : undefined;
        if (typeof url !== 'string' || !url.startsWith(DATA_URL_PREFIX)) throw new RequestRejected(`${at}.audio_url.url: must start with ${DATA_URL_PREFIX}`);
        if (!acceptedForms.includes('audio_url')) throw new RequestRejected(`${at}: this server takes audio only as ${acceptedForms.join(', ')}`);
        audio.push({ messageIndex: index, form: 'audio_url', wav: decodeBase64Wav(url.slice(DATA_URL_PREFIX.length), at) });
      } else {
        throw new RequestRejected(`${at}: unknown content part ${JSON.stringify(part['type'])}`);
      }
      audioParts += 1;
    });
    return { role, text, audioParts };
  });
  checkToolOrder(messages);
  const last = messages[messages.length - 1];
  if (!last || (last.role !== 'user' && last.role !== 'tool')) throw new RequestRejected('messages: the last message must be the user turn or a tool output');
  return {
    model: body['model'],
    messages,
    includeUsage: isRecord(streamOptions) && streamOptions['include_usage'] === true,
    audio,
    ...parseTools(body),
  };
}
