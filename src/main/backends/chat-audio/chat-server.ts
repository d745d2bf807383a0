import { UserFacingError } from '../../user-facing-error';
import { CONNECTION_DROPPED, httpError, networkErrorCode, streamBrokenError, timeoutError, unreachableError, type ChatAudioRequestKind, type ErrorContext } from './chat-audio-errors';

export interface ChatServerOptions {
  /** e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  apiKey: string | null;
  fetch: typeof fetch;
  /** How long the server may stay silent (before the headers, or between body chunks). */
  requestTimeoutMs: number;
}

/** The request was stopped on purpose (barge-in, dispose); not an error to show. */
export class RequestCancelled extends Error {
  override readonly name = 'RequestCancelled';
  constructor() {
    super('The request was cancelled');
  }
}

/**
 * One request in flight. The timer measures silence, not total time: a long reply that keeps
 * streaming is fine, a server that stops sending is not.
 */
export class ServerExchange {
  private timer: NodeJS.Timeout | null = null;
  private timedOut = false;
  readonly controller = new AbortController();

  constructor(
    readonly context: ErrorContext,
    private readonly timeoutMs: number,
    private readonly cancelSignal: AbortSignal | undefined,
  ) {
    if (cancelSignal?.aborted) this.controller.abort();
    cancelSignal?.addEventListener('abort', this.onCancel, { once: true });
    this.touch();
  }

  /** Bytes arrived: the server is alive. */
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cancelSignal?.removeEventListener('abort', this.onCancel);
  }

  /** What an error thrown by fetch or by reading the body means to the user. */
  explain(error: unknown, duringBody: boolean): UserFacingError | RequestCancelled {
    if (error instanceof UserFacingError || error instanceof RequestCancelled) return error;
    if (this.cancelSignal?.aborted) return new RequestCancelled();
    if (this.timedOut) return timeoutError(this.context, this.timeoutMs);
    if (duringBody && networkErrorCode(error) === null) {
      return streamBrokenError(this.context, error instanceof Error ? error.message : String(error));
    }
    if (duringBody) return streamBrokenError(this.context, CONNECTION_DROPPED);
    return unreachableError(this.context, error);
  }

  private readonly onCancel = (): void => this.controller.abort();
}

export class ChatServer {
  readonly baseUrl: string;

  constructor(private readonly options: ChatServerOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Sends a request and waits for the status line. Resolves with a 2xx response whose body is
   * still to be read (call `exchange.close()` after); rejects with a UserFacingError or RequestCancelled.
   */
  async send(
    kind: ChatAudioRequestKind,
    path: string,
    init: { method: 'GET' | 'POST'; body?: string | FormData; json?: boolean; model?: string },
    cancelSignal?: AbortSignal,
  ): Promise<{ response: Response; exchange: ServerExchange }> {
    const context: ErrorContext = { kind, baseUrl: this.baseUrl, ...(init.model ? { model: init.model } : {}) };
    const exchange = new ServerExchange(context, this.options.requestTimeoutMs, cancelSignal);
    const headers: Record<string, string> = {};
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    if (init.json) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.options.fetch(`${this.baseUrl}${path}`, {
        method: init.method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: exchange.controller.signal,
      });
    } catch (error) {
      exchange.close();
      throw exchange.explain(error, false);
    }
    exchange.touch();
    if (!response.ok) {
      let body = '';
      try {
        body = await response.text();
      } catch (error) {
        exchange.close();
        throw exchange.explain(error, true);
      }
      exchange.close();
      throw httpError(response.status, body, context);
    }
    return { response, exchange };
  }

  /** Sends a request and reads the whole answer as text; a failure on the way is explained as `send` does. */
  async sendForText(kind: ChatAudioRequestKind, path: string, init: Parameters<ChatServer['send']>[2], cancelSignal?: AbortSignal): Promise<string> {
    const { response, exchange } = await this.send(kind, path, init, cancelSignal);
    try {
      return await response.text();
    } catch (error) {
      throw exchange.explain(error, true);
    } finally {
      exchange.close();
    }
  }

  /** GET /models: the ids the server serves, in its order. */
  async listModels(cancelSignal?: AbortSignal): Promise<string[]> {
    const text = await this.sendForText('models', '/models', { method: 'GET' }, cancelSignal);
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Reported below together with other shapes that are not a model list.
    }
    const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
    const ids = Array.isArray(data) ? data.map((entry: unknown) => (entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined)) : null;
    if (!ids || ids.some((id) => typeof id !== 'string')) {
      throw new UserFacingError(
        'protocol',
        `The server at ${this.baseUrl} answered GET /models with something other than a model list. Check that the URL points at an OpenAI-compatible server (for vLLM it ends in /v1).`,
        { action: 'open-settings', text: { key: 'errors.chatAudio.notModelList', params: { url: this.baseUrl } } },
      );
    }
    return ids as string[];
  }

  /** The configured model if the server lists it; with none configured, the first it lists. */
  async chooseModel(configured: string, cancelSignal?: AbortSignal): Promise<string> {
    const models = await this.listModels(cancelSignal);
    if (configured && models.includes(configured)) return configured;
    const first = models[0];
    if (configured || first === undefined) {
      const listed = models.map((id) => `"${id}"`).join(', ');
      throw new UserFacingError(
        'model-not-found',
        first === undefined
          ? `The server at ${this.baseUrl} lists no models. Start it with an audio model, e.g. vllm serve fixie-ai/ultravox-v0_5-llama-3_2-1b, then retry.`
          : `The server at ${this.baseUrl} does not serve the model "${configured}"; it lists ${listed}. Open Settings and choose one of those, or leave the model empty to use the first.`,
        first === undefined
          ? { action: 'retry', text: { key: 'errors.chatAudio.noModels', params: { url: this.baseUrl } } }
          : { text: { key: 'errors.chatAudio.modelNotListed', params: { url: this.baseUrl, model: configured, listed } } },
      );
    }
    return first;
  }
}
