import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { UserFacingError } from '../../user-facing-error';
import { connectFailureToUserFacing, noApiKeyError, upgradeRefusedError } from './realtime-errors';

/** `ws`'s WebSocket or a subclass of it (tests pass one to see what would be sent). */
export type WebSocketConstructor = new (address: string, options?: WebSocket.ClientOptions) => WebSocket;

export interface SocketTarget {
  url: string;
  model: string;
  apiKey: string | null;
  WebSocketImpl?: WebSocketConstructor;
  connectTimeoutMs: number;
}

export interface SocketHandlers {
  onMessage(text: string): void;
  onClose(code: number, reason: string): void;
}

const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com)$/i;

/** The URL with `?model=` added unless the user already put one there. */
export function realtimeUrl(url: string, model: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('model')) parsed.searchParams.set('model', model);
  return parsed.toString();
}

/** GA auth: a Bearer token, or `api-key` on Azure. Never `OpenAI-Beta`: it selects the retired protocol. */
function authHeaders(url: string, apiKey: string | null): Record<string, string> {
  const host = new URL(url).hostname;
  if (!apiKey) {
    if (host === 'api.openai.com') throw noApiKeyError();
    return {};
  }
  return AZURE_HOST.test(host) ? { 'api-key': apiKey } : { Authorization: `Bearer ${apiKey}` };
}

/**
 * One WebSocket connection. `open` resolves once the upgrade succeeded; every failure before
 * that becomes a UserFacingError. Afterwards messages and the final close go to the handlers.
 */
export class RealtimeSocket {
  private closedByUs = false;

  private constructor(private readonly ws: WebSocket) {}

  static open(target: SocketTarget, handlers: SocketHandlers): Promise<RealtimeSocket> {
    const url = realtimeUrl(target.url, target.model);
    let headers: Record<string, string>;
    try {
      headers = authHeaders(url, target.apiKey);
    } catch (error) {
      return Promise.reject(error instanceof UserFacingError ? error : connectFailureToUserFacing(error, url));
    }
    const Impl = target.WebSocketImpl ?? WebSocket;
    return new Promise((resolve, reject) => {
      const ws = new Impl(url, { headers, handshakeTimeout: target.connectTimeoutMs, perMessageDeflate: false });
      const socket = new RealtimeSocket(ws);
      let opened = false;
      ws.on('open', () => {
        opened = true;
        resolve(socket);
      });
      // A refused upgrade: with a listener here ws raises no error of its own, so the server's
      // words (an unknown path, an Azure api-version it wants) can be quoted back to the user.
      ws.on('unexpected-response', (_request, response) => {
        void readRefusal(response).then((body) => {
          reject(upgradeRefusedError(response.statusCode ?? 0, body, url, new Error(`Unexpected server response: ${response.statusCode}`)));
          ws.terminate();
        });
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) handlers.onMessage(data.toString());
      });
      ws.on('error', (error) => {
        if (!opened) {
          reject(connectFailureToUserFacing(error, url));
          ws.terminate();
        }
        // After the upgrade an error is always followed by 'close', which reports it.
      });
      ws.on('close', (code, reason) => {
        if (!opened) {
          reject(connectFailureToUserFacing(new Error(`closed during the upgrade (${code})`), url));
          return;
        }
        if (!socket.closedByUs) handlers.onClose(code, reason.toString());
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.ws.send(text);
    return true;
  }

  /** Closes without reporting the close to the handlers: we meant it. */
  close(code = 1000, reason = 'client closing'): void {
    this.closedByUs = true;
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
  }

  /** Waits for the close handshake, bounded so a silent peer cannot hold dispose up. */
  async closeAndWait(timeoutMs = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.close();
    await done;
  }
}

/** What a refusal is worth reading: enough for a sentence, never a whole page or a stalled body. */
const REFUSAL_BYTES = 4096;
const REFUSAL_WAIT_MS = 2000;

/** The start of a refused upgrade's body as text; null when there was none, or none in time. */
function readRefusal(response: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const done = (body: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      response.removeAllListeners('data');
      response.destroy();
      resolve(body === '' ? null : body);
    };
    const timer = setTimeout(() => done(bytes > 0 ? Buffer.concat(chunks).toString('utf8') : null), REFUSAL_WAIT_MS);
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= REFUSAL_BYTES) done(Buffer.concat(chunks).subarray(0, REFUSAL_BYTES).toString('utf8'));
    });
    response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => done(null));
  });
}
