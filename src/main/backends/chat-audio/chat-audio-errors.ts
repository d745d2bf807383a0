import { UserFacingError, withFollowUp, type MessageText } from '../../user-facing-error';
import { classifyHttpStatus, keyRejectedError, rateLimitedError, trimDetail, withDetail, type HttpFailure } from '../http-status-errors';

/** Which request failed: the messages differ because the fix differs. */
export type ChatAudioRequestKind = 'models' | 'chat' | 'transcription' | 'speech';

export interface ErrorContext {
  kind: ChatAudioRequestKind;
  /** The base URL the user configured, quoted back so they can spot a typo. */
  baseUrl: string;
  /** The model the request named, when there is one. */
  model?: string;
}

const WHAT: Record<ChatAudioRequestKind, string> = {
  models: 'listing its models',
  chat: 'answering your question',
  transcription: 'turning your question into words',
  speech: 'speaking the reply',
};

/** vLLM: "This model does not support multi-modal inputs", "At most 0 audio(s) may be provided…"; text-only servers: "allowed values: ['text']". */
function saysNoAudio(message: string): boolean {
  const m = message.toLowerCase();
  return (
    /multi-?modal/.test(m) ||
    /at most 0 audio/.test(m) ||
    /(audio|input_audio|audio_url)[^.]*(not supported|unsupported|not allowed)/.test(m) ||
    /does not support audio/.test(m) ||
    (m.includes('allowed values') && m.includes("'text'"))
  );
}

/**
 * A server that takes no tool calls refuses every request that declares tools: vLLM started
 * without --enable-auto-tool-choice, llama.cpp without --jinja. The question can still be
 * answered without them, so the backend asks again without tools and reports this once.
 */
export class ToolsRefusedError extends UserFacingError {}

function saysNoTools(message: string): boolean {
  return /enable-auto-tool-choice|tool-call-parser|tools param requires --jinja/i.test(message);
}

export function httpError(status: number, body: string, context: ErrorContext): UserFacingError {
  // Listing the models is a GET: it names no model and carries nothing.
  const sendsModel = context.kind !== 'models';
  const failure = classifyHttpStatus(status, body, { namesModel: sendsModel, carriesContent: sendsModel });
  const url = context.baseUrl;
  switch (failure.kind) {
    case 'auth':
      return keyRejectedError(url, failure);
    case 'rate-limited':
      return rateLimitedError(url);
    case 'not-found':
      return failure.code === 'model-not-found' ? modelNotServed(context) : noEndpoint(context);
    case 'too-large':
      return new UserFacingError(
        failure.code,
        `Your question was too long for the server at ${url} to accept (HTTP 413). Hold the key for a shorter question, or raise the server's request size limit.`,
        { text: { key: 'errors.chatAudio.tooLarge', params: { url } } },
      );
    case 'refused':
      return requestRefused(failure, context);
    default:
      return new UserFacingError(
        failure.code,
        `The server at ${url} failed while ${WHAT[context.kind]} (HTTP ${status})${withDetail(failure.serverSays)}. Retry; if it keeps failing, check the server's log.`,
        { text: withServerSaying('failed', context, status, failure.serverSays) },
      );
  }
}

function modelNotServed(context: ErrorContext): UserFacingError {
  const url = context.baseUrl;
  return new UserFacingError(
    'model-not-found',
    `The model ${context.model ? `"${context.model}" ` : ''}is not served by the server at ${url} (HTTP 404). Open Settings and choose one of the models that GET ${url}/models lists.`,
    { text: context.model ? { key: 'errors.chatAudio.modelNotServed', params: { model: context.model, url } } : { key: 'errors.chatAudio.modelNotServedUnnamed', params: { url } } },
  );
}

function noEndpoint(context: ErrorContext): UserFacingError {
  const path = { models: '/models', chat: '/chat/completions', transcription: '/audio/transcriptions', speech: '/audio/speech' }[context.kind];
  return new UserFacingError(
    'bad-settings',
    `The server at ${context.baseUrl} has no ${path} endpoint (HTTP 404). Check the server URL in Settings; for vLLM it ends in /v1.`,
    { text: { key: 'errors.chatAudio.noEndpoint', params: { url: context.baseUrl, path } } },
  );
}

/** 400 or 422: vLLM's words tell a server without tools, a clip limit or a model without audio from any other refusal. */
function requestRefused(failure: HttpFailure, context: ErrorContext): UserFacingError {
  const message = failure.serverSays;
  const url = context.baseUrl;
  const detail = trimDetail(message);
  if (context.kind === 'chat' && saysNoTools(message)) {
    // A code that neither blocks the session nor offers a retry: the question was answered.
    return new ToolsRefusedError(
      'protocol',
      `The server at ${url} does not take tool calls${withDetail(message)}, so Parley answered without tools. To use them with vLLM, start it with --enable-auto-tool-choice --tool-call-parser <the parser for your model>.`,
      { text: { key: 'errors.chatAudio.toolsRefused', params: { url, detail } } },
    );
  }
  const tooMany = /at most (\d+) audio/i.exec(message);
  if (tooMany && tooMany[1] !== '0' && context.kind === 'chat') {
    return new UserFacingError(
      'bad-settings',
      `The server at ${url} takes at most ${tooMany[1]} audio clips per request. Lower the number of earlier clips sent as history in Settings, or start vLLM with a higher --limit-mm-per-prompt.`,
      { text: { key: 'errors.chatAudio.tooManyClips', params: { url, limit: tooMany[1] } } },
    );
  }
  if (context.kind === 'chat' && saysNoAudio(message)) {
    return new UserFacingError(
      'audio-unsupported',
      `The model ${context.model ? `"${context.model}" ` : ''}does not take audio${withDetail(message)}. Open Settings and choose an audio model such as Ultravox or Qwen2-Audio.`,
      { text: context.model ? { key: 'errors.chatAudio.noAudio', params: { model: context.model, detail } } : { key: 'errors.chatAudio.noAudioUnnamed', params: { detail } } },
    );
  }
  // Not the code's usual retry: the same request would be refused again until a setting changes.
  return new UserFacingError(
    'server',
    `The server at ${url} refused the request while ${WHAT[context.kind]} (HTTP ${failure.status})${withDetail(message)}. Check the settings for this server.`,
    { action: 'open-settings', text: withServerSaying('refused', context, failure.status, message) },
  );
}

/** The key for a refused or failed request, with the server's own words when it sent any. */
function withServerSaying(outcome: 'refused' | 'failed', context: ErrorContext, status: number, message: string): MessageText {
  const params = { url: context.baseUrl, status };
  return message
    ? { key: `errors.chatAudio.${outcome}Saying.${context.kind}`, params: { ...params, detail: trimDetail(message) } }
    : { key: `errors.chatAudio.${outcome}.${context.kind}`, params };
}

export function timeoutError(context: ErrorContext, timeoutMs: number): UserFacingError {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return new UserFacingError(
    'timeout',
    `The server at ${context.baseUrl} stopped answering for ${seconds} s while ${WHAT[context.kind]}. Retry; if it keeps happening, check that the server is not overloaded.`,
    { text: { key: `errors.chatAudio.timeout.${context.kind}`, params: { url: context.baseUrl, seconds } } },
  );
}

/** The detail for a connection that closed under a request; it has its own keys, so the window says it in its language. */
export const CONNECTION_DROPPED = 'the connection was dropped';

export function streamBrokenError(context: ErrorContext, detail: string): UserFacingError {
  return new UserFacingError(
    'stream-broken',
    `The reply from ${context.baseUrl} broke off before the server finished it (${detail}). What arrived is kept; retry to ask again.`,
    {
      text:
        detail === CONNECTION_DROPPED
          ? { key: 'errors.chatAudio.streamDropped', params: { url: context.baseUrl } }
          : { key: 'errors.chatAudio.streamBroken', params: { url: context.baseUrl, detail } },
    },
  );
}

/**
 * A sentence of the reply could not be spoken; the rest was. Retrying would ask the question
 * again, so only a settings fix is offered: a timeout or a server error offers nothing, though
 * their code's default is a retry.
 */
export function speechFailedError(failure: UserFacingError): UserFacingError {
  const followUp = { key: 'errors.chatAudio.speechFailed', english: 'Parley went on with the rest of the reply; the words it could not speak are on screen.' };
  return withFollowUp(failure, followUp, failure.action === 'open-settings' ? 'open-settings' : null);
}

/** The clip's words could not be had; the model heard the clip anyway, so the fix is the transcription setting, not a retry. */
export function transcriptionFailedError(failure: UserFacingError): UserFacingError {
  return withFollowUp(failure, { key: 'errors.chatAudio.transcriptionFailed', english: 'Your question still went to the model.' }, 'open-settings');
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The errno-style code behind a failed fetch; undici nests it in `cause`, sometimes in an AggregateError. */
export function networkErrorCode(error: unknown): string | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && UNREACHABLE_CODES.has(record.code)) return record.code;
    queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
  return null;
}

export function unreachableError(context: ErrorContext, error: unknown): UserFacingError {
  const code = networkErrorCode(error) ?? (error instanceof Error ? error.message : 'no connection');
  const dropped = code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
  const detail = dropped ? CONNECTION_DROPPED : code;
  return new UserFacingError(
    'unreachable',
    `Parley could not reach the server at ${context.baseUrl} (${detail}) while ${WHAT[context.kind]}. Is the server running? Start it or fix the URL in Settings, then retry.`,
    {
      cause: error,
      text: dropped
        ? { key: `errors.chatAudio.dropped.${context.kind}`, params: { url: context.baseUrl } }
        : { key: `errors.chatAudio.unreachable.${context.kind}`, params: { url: context.baseUrl, detail } },
    },
  );
}
