import { UserFacingError } from '../../user-facing-error';
import { classifyHttpStatus, keyRejectedError, rateLimitedError, trimDetail, withDetail, type HttpRequestShape } from '../http-status-errors';

/**
 * Maps what goes wrong on the Realtime socket to sentences a person can act on. Only auth,
 * closed sockets and session expiry end the reply in flight (ERROR_POLICY says what each means for the session).
 */

/** Error codes that only mean "that was harmless": a turn that was too short, a cancel that came late. */
const QUIET_CODES = new Set(['input_audio_buffer_commit_empty', 'response_cancel_not_active', 'conversation_already_has_active_response']);

export interface ServerErrorDetail {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  /** The client event the error answers, when the server echoed its event_id. */
  failedEventType: string | undefined;
}

/** Returns null for errors that need no one's attention. */
export function serverErrorToUserFacing(detail: ServerErrorDetail, url: string): UserFacingError | null {
  const { type, code, message } = detail;
  if (code && QUIET_CODES.has(code)) return null;
  const cause = new Error(`${type}/${code ?? '-'}: ${message}${detail.failedEventType ? ` (in reply to ${detail.failedEventType})` : ''}`);
  if (code === 'invalid_api_key' || type === 'authentication_error' || code === 'unauthorized') {
    return authError(new URL(url).host, cause);
  }
  if (code === 'model_not_found' || /model .*(not found|does not exist)|(unknown|invalid) model/i.test(message)) {
    return new UserFacingError(
      'model-not-found',
      `The Realtime server at ${new URL(url).host} does not offer that model. Open Settings and check the model name.`,
      { cause, text: { key: 'errors.realtime.modelNotOffered', params: { host: new URL(url).host } } },
    );
  }
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota' || type === 'rate_limit_exceeded' || type === 'insufficient_quota') {
    const quota = code === 'insufficient_quota' || type === 'insufficient_quota';
    return new UserFacingError(
      'rate-limited',
      quota
        ? 'Your OpenAI account has run out of credit. Add credit to the account, then try again.'
        : 'The Realtime server says too many requests were made. Wait a moment, then try again.',
      { cause, text: { key: quota ? 'errors.realtime.noCredit' : 'errors.realtime.tooManyRequests' } },
    );
  }
  const what = detail.failedEventType ? ` while handling ${describeClientEvent(detail.failedEventType)}` : '';
  return new UserFacingError('server', `The Realtime server reported a problem${what}: ${trimSentence(message || type)}. Try again.`, {
    cause,
    text: detail.failedEventType
      ? { key: 'errors.realtime.serverProblemWhile', params: { event: detail.failedEventType, detail: trimSentence(message || type) } }
      : { key: 'errors.realtime.serverProblem', params: { detail: trimSentence(message || type) } },
  });
}

export function authError(host: string, cause?: unknown): UserFacingError {
  return new UserFacingError('auth', `Your API key was rejected by ${host}. Open Settings and paste a valid key.`, {
    cause,
    text: { key: 'errors.realtime.auth', params: { host } },
  });
}

export function noApiKeyError(): UserFacingError {
  return new UserFacingError('no-api-key', 'Parley needs an OpenAI API key to talk to api.openai.com. Open Settings and paste your key.', {
    text: { key: 'errors.realtime.noApiKey' },
  });
}

/** Failures of the WebSocket upgrade itself: network errors and HTTP status codes. */
export function connectFailureToUserFacing(error: unknown, url: string): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const shown = redactUrl(url);
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (status) return upgradeRefusedError(Number(status), null, url, error);
  if (/handshake has timed out|timed out|ETIMEDOUT/i.test(message + code)) {
    return new UserFacingError('unreachable', `The Realtime server at ${shown} did not answer in time. Check the URL in Settings and your network connection.`, {
      cause: error,
      text: { key: 'errors.realtime.timedOut', params: { url: shown } },
    });
  }
  return new UserFacingError('unreachable', `Parley could not reach the Realtime server at ${shown}. Check the URL in Settings and your network connection.`, {
    cause: error,
    text: { key: 'errors.realtime.unreachable', params: { url: shown } },
  });
}

/** The upgrade is a GET that names the model in its query and carries nothing. */
const UPGRADE: HttpRequestShape = { namesModel: true, carriesContent: false };

/**
 * The server answered the upgrade with `status` instead of switching protocols; `body` is the
 * start of what it said (null when it was not read), quoted back when it holds words.
 */
export function upgradeRefusedError(status: number, body: string | null, url: string, cause?: unknown): UserFacingError {
  const failure = classifyHttpStatus(status, body, UPGRADE);
  const host = new URL(url).host;
  const shown = redactUrl(url);
  const words = failure.serverSays;
  switch (failure.kind) {
    case 'auth':
      return keyRejectedError(host, failure, cause);
    case 'rate-limited':
      return rateLimitedError(host, cause);
    case 'not-found':
      return new UserFacingError(failure.code, `${shown} has no Realtime endpoint for that model (HTTP 404)${withDetail(words)}. Open Settings and check the URL and model.`, {
        cause,
        text: words
          ? { key: 'errors.realtime.noEndpointSaying', params: { url: shown, detail: trimDetail(words) } }
          : { key: 'errors.realtime.noEndpoint', params: { url: shown } },
      });
    default:
      return new UserFacingError(failure.code, `${host} refused the Realtime connection (HTTP ${status})${withDetail(words)}. Try again later, or check the URL in Settings.`, {
        cause,
        text: words
          ? { key: 'errors.realtime.refusedHttpSaying', params: { host, status, detail: trimDetail(words) } }
          : { key: 'errors.realtime.refusedHttp', params: { host, status } },
      });
  }
}

/** A socket that was open and then closed under us; the backend reconnects on its own. */
export function droppedError(expired: boolean, code: number, reason: string): UserFacingError {
  return expired
    ? new UserFacingError('session-expired', 'The Realtime session reached its time limit and the reply was cut off. Parley opened a new session: press the key and ask again.', {
        text: { key: 'errors.realtime.sessionExpired' },
      })
    : new UserFacingError('stream-broken', `The connection to the Realtime server dropped (${code}${reason ? `: ${reason}` : ''}) and the reply was lost. Parley is reconnecting; try again.`, {
        text: reason ? { key: 'errors.realtime.droppedReason', params: { code, reason } } : { key: 'errors.realtime.dropped', params: { code } },
      });
}

/** A connect or send on a socket that was disposed: the engine is closing it for good. */
export function shuttingDown(): UserFacingError {
  return new UserFacingError('internal', 'Parley is shutting down.', { text: { key: 'errors.shuttingDown' } });
}

/** The URL as shown to people: no query string, which may carry a deployment or key. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function describeClientEvent(type: string): string {
  return `"${type}"`;
}

function trimSentence(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}
