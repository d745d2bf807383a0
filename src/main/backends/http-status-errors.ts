import type { ErrorCode } from '../../shared/engine-events';
import { UserFacingError } from '../user-facing-error';

/**
 * What an HTTP error status means for Parley, decided once for both backends: the chat-audio
 * requests (fetch) and the Realtime WebSocket upgrade. Each backend words the sentences whose
 * fix differs between them (a missing /chat/completions endpoint is not a missing Realtime
 * endpoint); the sentences that say the same thing whichever backend met the status are here.
 */

/**
 * - `auth`: 401 or 403, the key;
 * - `not-found`: 404, a wrong URL or an unknown model;
 * - `too-large`: 413 on a request that carried the user's audio or words;
 * - `rate-limited`: 429;
 * - `refused`: 400 or 422, the server understood the request and said no to what was in it;
 * - `failed`: 5xx, the server broke;
 * - `unexpected`: anything else (a redirect fetch did not follow, 405, a 413 on a bodiless request…).
 */
export type HttpFailureKind = 'auth' | 'not-found' | 'too-large' | 'rate-limited' | 'refused' | 'failed' | 'unexpected';

/** What the failed request was, where a status's meaning depends on it. */
export interface HttpRequestShape {
  /** It names a model (a POST's "model" field, the Realtime upgrade's ?model=), so a 404 may mean that model. */
  namesModel: boolean;
  /** It carries the user's audio or words, so a 413 means they were too long. A GET or a WebSocket upgrade carries none. */
  carriesContent: boolean;
}

export interface HttpFailure {
  status: number;
  kind: HttpFailureKind;
  code: ErrorCode;
  /** The server's own words from the body, shortened; '' when it sent none or none was read. */
  serverSays: string;
}

/**
 * `body`: the response body, or null when it was not read (ws gives only the status of a
 * refused upgrade). A 404 is the model's when the request names one and the server's words
 * mention a model; without words it cannot be told from a wrong path, and on a request that
 * names a model (the Realtime endpoint is chosen per model with ?model=) it is taken as the model.
 */
export function classifyHttpStatus(status: number, body: string | null, request: HttpRequestShape): HttpFailure {
  const serverSays = body === null ? '' : serverWords(body);
  const kind = kindOf(status, request);
  const code: ErrorCode =
    kind === 'not-found'
      ? request.namesModel && (body === null || /model/i.test(serverSays))
        ? 'model-not-found'
        : 'bad-settings'
      : CODE_OF[kind];
  return { status, kind, code, serverSays };
}

const CODE_OF: Record<Exclude<HttpFailureKind, 'not-found'>, ErrorCode> = {
  auth: 'auth',
  'too-large': 'clip-too-large',
  'rate-limited': 'rate-limited',
  refused: 'server',
  failed: 'server',
  unexpected: 'server',
};

function kindOf(status: number, request: HttpRequestShape): HttpFailureKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 413 && request.carriesContent) return 'too-large';
  if (status === 429) return 'rate-limited';
  if (status === 400 || status === 422) return 'refused';
  if (status >= 500 && status <= 599) return 'failed';
  return 'unexpected';
}

/**
 * The server's own words, from the shapes OpenAI-compatible servers use: vLLM and OpenAI
 * send `{"error":{"message":…}}`, vLLM's auth check `{"error":"Unauthorized"}`, older vLLM
 * `{"message":…}`, FastAPI `{"detail":…}`. Anything else is quoted as plain text, shortened.
 */
function serverWords(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const error = record['error'];
      if (typeof error === 'string') return error;
      if (error && typeof error === 'object' && typeof (error as Record<string, unknown>)['message'] === 'string') {
        return (error as Record<string, string>)['message'] ?? '';
      }
      if (typeof record['message'] === 'string') return record['message'];
      if (typeof record['detail'] === 'string') return record['detail'];
    }
  } catch {
    // Not JSON: an HTML page from a proxy, or plain text.
  }
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The server's words without a closing full stop, for a sentence that goes on after them. */
export const trimDetail = (words: string): string => words.replace(/[.\s]+$/, '');

/** `: <the server's words>`, or nothing when it said nothing. */
export const withDetail = (words: string): string => (words ? `: ${trimDetail(words)}` : '');

/** 401 or 403, from either backend. `server`: the URL or host the user configured, quoted back so they can spot a typo. */
export function keyRejectedError(server: string, failure: HttpFailure, cause?: unknown): UserFacingError {
  const { status } = failure;
  return new UserFacingError('auth', `The API key was rejected by the server at ${server} (HTTP ${status}). Open Settings and enter the key the server expects.`, {
    cause,
    text: { key: 'errors.http.keyRejected', params: { url: server, status } },
  });
}

/** 429, from either backend: a new connection and a new request wait alike. */
export function rateLimitedError(server: string, cause?: unknown): UserFacingError {
  return new UserFacingError('rate-limited', `The server at ${server} is busy or you reached its rate limit (HTTP 429). Wait a moment, then retry.`, {
    cause,
    text: { key: 'errors.http.rateLimited', params: { url: server } },
  });
}
