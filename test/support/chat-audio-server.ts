import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { readBody, sendJson, streamChatReply, writeChatError, type StreamFault } from './chat-audio-server-sse';
import { newToolCallId, streamToolCallReply, type ParsedToolCall, type ScriptedToolReply } from './chat-audio-server-tools';
import { decodeWav, parseChatRequest, RequestRejected, type AudioPartForm, type DecodedWav, type ParsedChatRequest } from './chat-audio-server-validation';

export type { AudioPartForm, DecodedWav, ParsedChatRequest } from './chat-audio-server-validation';
export type { ParsedToolCall, ScriptedToolReply } from './chat-audio-server-tools';

/**
 * A loopback stand-in for vLLM's OpenAI-compatible server (`vllm serve <audio model>`): real
 * HTTP on 127.0.0.1, strict request checks, SSE framed as vLLM frames it, and each failure
 * Parley must explain injectable on demand.
 */

/** Failures for the next chat request. `hang`: never answer; the rest stream or answer as named. */
export type ChatAudioFault = 'unauthorized' | 'unknown-model' | 'not-multimodal' | 'too-large' | 'rate-limited' | 'server-error' | 'hang' | StreamFault;

export interface ChatAudioServerOptions {
  /** Served models; `audio: false` ones answer audio with vLLM's not-multimodal 400. */
  models?: Array<{ id: string; audio: boolean }>;
  /** Like `vllm serve --api-key`: requests without this Bearer token get 401. */
  apiKey?: string | null;
  /** The reply text for each request. */
  reply?: string | ((request: RecordedChatRequest) => string);
  /** Pause between SSE chunks. */
  chunkDelayMs?: number;
  /** Audio part forms accepted (vLLM takes both). */
  acceptedForms?: AudioPartForm[];
  /** Bodies above this get 413, as a reverse proxy in front of vLLM answers. */
  maxBodyBytes?: number;
  transcriptionModels?: string[];
  transcript?: string | ((wav: DecodedWav) => string);
  /** Pause between PCM chunks from /audio/speech. */
  speechChunkDelayMs?: number;
  /** Pause before /audio/speech answers at all: the endpoint's fixed time to first byte. */
  speechDelayMs?: number;
  /** How the speech request for this text fails, if it does: a 500, or no answer until the client gives up. */
  speechFault?: (input: string) => SpeechFault | null;
  /**
   * Answer a request that declares tools (and does not forbid them) by calling tools: a fixed
   * reply is used while the last message is the user's question, and the text reply once tool
   * outputs came back; a function decides per request (null: answer with text).
   */
  toolCalls?: ScriptedToolReply | ((request: RecordedChatRequest) => ScriptedToolReply | null);
  /** false: like vLLM started without --enable-auto-tool-choice, `tool_choice: "auto"` gets a 400. */
  autoToolChoice?: boolean;
  /** Listen on this port instead of a free one (to bring a server "back" where a client expects it). */
  port?: number;
}

export interface RecordedChatRequest extends ParsedChatRequest {
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the first and last body bytes arrived. */
  firstByteAt: number;
  lastByteAt: number;
  bodyBytes: number;
  /** Resolves when the response ended: `finished` or the client went away first. */
  closed: Promise<'finished' | 'client-closed'>;
  /** The calls this server answered the request with (empty: it answered with text). */
  toolCallsSent: ParsedToolCall[];
}

export type SpeechFault = 'server-error' | 'hang';

export interface RecordedSpeechRequest {
  model: string;
  voice: string;
  input: string;
  pcm: Int16Array;
  fault: SpeechFault | null;
  closed: Promise<'finished' | 'client-closed'>;
}

/**
 * What the server did, in order, with `performance.now()` (this process's clock): each chat
 * piece written, the chat stream's end, and each speech request's arrival, first byte and close.
 */
export interface TimelineEntry {
  what: 'chat-piece' | 'chat-finished' | 'speech-requested' | 'speech-first-byte' | 'speech-closed';
  text: string;
  at: number;
}

export const DEFAULT_AUDIO_MODEL = 'fixie-ai/ultravox-v0_5-llama-3_2-1b';

export class ChatAudioServer {
  readonly requests: RecordedChatRequest[] = [];
  /** Chat requests refused by validation: the test should expect none unless it sent garbage. */
  readonly rejections: string[] = [];
  readonly transcriptions: Array<{ model: string; wav: DecodedWav }> = [];
  readonly speechRequests: RecordedSpeechRequest[] = [];
  readonly timeline: TimelineEntry[] = [];
  /** The most speech requests that were open at once. */
  maxSpeechInFlight = 0;
  private speechInFlight = 0;
  private readonly faults: ChatAudioFault[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly options: ChatAudioServerOptions,
  ) {}

  static async start(options: ChatAudioServerOptions = {}): Promise<ChatAudioServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new ChatAudioServer(server, `http://127.0.0.1:${port}/v1`, options);
    server.on('request', (req, res) => {
      instance.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) writeChatError(res, 500, 'InternalServerError', String(error));
        else res.destroy();
      });
    });
    return instance;
  }

  get models(): Array<{ id: string; audio: boolean }> {
    return this.options.models ?? [{ id: DEFAULT_AUDIO_MODEL, audio: true }];
  }

  /** The next chat request fails this way (queued: one fault per request). */
  inject(fault: ChatAudioFault): void {
    this.faults.push(fault);
  }

  setReply(reply: ChatAudioServerOptions['reply']): void {
    this.options.reply = reply;
  }

  /** Resolves once `count` chat requests have been recorded. */
  async waitForRequests(count: number): Promise<RecordedChatRequest[]> {
    while (this.requests.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.requests;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, firstByteAt, lastByteAt } = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      // vLLM's --api-key middleware answers with exactly this body.
      return sendJson(res, 401, { error: 'Unauthorized' });
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, { object: 'list', data: this.models.map(({ id }) => ({ id, object: 'model', created, owned_by: 'vllm', root: id, parent: null, max_model_len: 8192 })) });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chat(req, res, body, firstByteAt, lastByteAt);
    if (req.method === 'POST' && path === '/v1/audio/transcriptions') return this.transcribe(req, res, body);
    if (req.method === 'POST' && path === '/v1/audio/speech') return this.speak(res, body);
    sendJson(res, 404, { detail: 'Not Found' });
  }

  private async chat(req: IncomingMessage, res: ServerResponse, body: Buffer, firstByteAt: number, lastByteAt: number): Promise<void> {
    const fault = this.faults.shift();
    if (fault === 'too-large' || (this.options.maxBodyBytes !== undefined && body.length > this.options.maxBodyBytes)) {
      res.writeHead(413, { 'content-type': 'text/html' });
      res.end('<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>');
      return;
    }
    if (fault === 'unauthorized') return sendJson(res, 401, { error: 'Unauthorized' });
    if (fault === 'rate-limited') return writeChatError(res, 429, 'RateLimitError', 'Too many requests: the server queue is full.');
    if (fault === 'server-error') return writeChatError(res, 500, 'InternalServerError', 'EngineCore encountered an issue. See stack trace (above) for the root cause.');
    let parsed: ParsedChatRequest;
    try {
      parsed = parseChatRequest(body.toString('utf8'), this.options.acceptedForms ?? ['input_audio', 'audio_url']);
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error;
      this.rejections.push(error.message);
      return writeChatError(res, 400, 'BadRequestError', error.message);
    }
    const served = this.models.find((model) => model.id === parsed.model);
    if (fault === 'unknown-model' || !served) {
      return writeChatError(res, 404, 'NotFoundError', `The model \`${parsed.model}\` does not exist.`, 'model');
    }
    if (fault === 'not-multimodal' || (!served.audio && parsed.audio.length > 0)) {
      return writeChatError(res, 400, 'BadRequestError', 'This model does not support multi-modal inputs');
    }
    if (parsed.toolChoice === 'auto' && this.options.autoToolChoice === false) {
      return writeChatError(res, 400, 'BadRequestError', '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set');
    }
    const closed = new Promise<'finished' | 'client-closed'>((resolve) => res.once('close', () => resolve(res.writableFinished ? 'finished' : 'client-closed')));
    const record: RecordedChatRequest = { ...parsed, headers: req.headers, firstByteAt, lastByteAt, bodyBytes: body.length, closed, toolCallsSent: [] };
    this.requests.push(record);
    for (const wake of this.waiters.splice(0)) wake();
    if (fault === 'hang') return;
    const toolReply = this.toolReplyFor(record);
    if (toolReply) {
      record.toolCallsSent = toolReply.calls.map((call) => ({ id: newToolCallId(), ...call }));
      const options = { model: parsed.model, reply: toolReply, calls: record.toolCallsSent, includeUsage: parsed.includeUsage, delayMs: this.options.chunkDelayMs ?? 0 };
      await streamToolCallReply(res, options);
      this.note('chat-finished', `tool calls: ${toolReply.calls.map((call) => call.name).join(', ')}`);
      return;
    }
    const reply = typeof this.options.reply === 'function' ? this.options.reply(record) : (this.options.reply ?? 'Hello from the loopback model.');
    const onPiece = (piece: string): void => this.note('chat-piece', piece);
    await streamChatReply(res, { model: parsed.model, reply, includeUsage: parsed.includeUsage, delayMs: this.options.chunkDelayMs ?? 0, onPiece, ...(fault ? { fault } : {}) });
    this.note('chat-finished', reply);
  }

  private toolReplyFor(request: RecordedChatRequest): ScriptedToolReply | null {
    const scripted = this.options.toolCalls;
    if (!scripted || request.tools.length === 0 || request.toolChoice === 'none') return null;
    if (typeof scripted === 'function') return scripted(request);
    return request.messages.at(-1)?.role === 'tool' ? null : scripted;
  }

  private note(what: TimelineEntry['what'], text: string): void {
    this.timeline.push({ what, text, at: performance.now() });
  }

  private async transcribe(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    } catch {
      return writeChatError(res, 400, 'BadRequestError', 'Expected a multipart/form-data body');
    }
    const file = form.get('file');
    const model = form.get('model');
    if (!(file instanceof Blob) || typeof model !== 'string') return writeChatError(res, 400, 'BadRequestError', 'file and model are required');
    if (!(this.options.transcriptionModels ?? ['openai/whisper-large-v3-turbo']).includes(model)) {
      return writeChatError(res, 404, 'NotFoundError', `The model \`${model}\` does not exist.`, 'model');
    }
    let wav: DecodedWav;
    try {
      wav = decodeWav(Buffer.from(await file.arrayBuffer()));
    } catch (error) {
      return writeChatError(res, 400, 'BadRequestError', error instanceof Error ? error.message : String(error));
    }
    this.transcriptions.push({ model, wav });
    const transcript = this.options.transcript;
    sendJson(res, 200, { text: typeof transcript === 'function' ? transcript(wav) : (transcript ?? 'What is the weather like?') });
  }

  private async speak(res: ServerResponse, body: Buffer): Promise<void> {
    let request: { model?: unknown; voice?: unknown; input?: unknown; response_format?: unknown };
    try {
      request = JSON.parse(body.toString('utf8')) as typeof request;
    } catch {
      return writeChatError(res, 400, 'BadRequestError', 'The request body is not JSON');
    }
    const { model, voice, input } = request;
    if (typeof model !== 'string' || typeof voice !== 'string' || typeof input !== 'string' || !input) {
      return writeChatError(res, 400, 'BadRequestError', 'model, voice and input are required');
    }
    if (request.response_format !== 'pcm') return writeChatError(res, 400, 'BadRequestError', 'This test server only speaks response_format "pcm"');
    const pcm = speechFor(input);
    const fault = this.options.speechFault?.(input) ?? null;
    this.note('speech-requested', input);
    this.speechInFlight += 1;
    this.maxSpeechInFlight = Math.max(this.maxSpeechInFlight, this.speechInFlight);
    const closed = new Promise<'finished' | 'client-closed'>((resolve) =>
      res.once('close', () => {
        this.speechInFlight -= 1;
        this.note('speech-closed', input);
        resolve(res.writableFinished ? 'finished' : 'client-closed');
      }),
    );
    this.speechRequests.push({ model, voice, input, pcm, fault, closed });
    if (this.options.speechDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.speechDelayMs));
    if (fault === 'hang' || res.destroyed) return;
    if (fault === 'server-error') return writeChatError(res, 500, 'InternalServerError', 'The speech engine failed on this input.');
    res.writeHead(200, { 'content-type': 'audio/pcm' });
    this.note('speech-first-byte', input);
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    // Odd-sized pieces, as a real stream may split a sample across chunks.
    for (let offset = 0; offset < bytes.length && !res.destroyed; offset += 4801) {
      res.write(bytes.subarray(offset, offset + 4801));
      if (this.options.speechChunkDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.speechChunkDelayMs));
    }
    res.end();
  }
}

/** 24 kHz PCM16, 10 ms per character of text, a tone whose pitch follows the characters. */
export function speechFor(text: string): Int16Array {
  const pcm = new Int16Array(text.length * 240);
  for (let i = 0; i < pcm.length; i += 1) {
    const frequency = 200 + (text.charCodeAt(Math.floor(i / 240)) % 50) * 10;
    pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / 24_000));
  }
  return pcm;
}
