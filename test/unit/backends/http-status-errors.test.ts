import { describe, expect, it } from 'vitest';
import { httpError } from '../../../src/main/backends/chat-audio/chat-audio-errors';
import { classifyHttpStatus, keyRejectedError, rateLimitedError, type HttpRequestShape } from '../../../src/main/backends/http-status-errors';
import { connectFailureToUserFacing } from '../../../src/main/backends/realtime/realtime-errors';
import { expectKeyedTranslation } from '../i18n/keyed-error-check';

/** A chat completions POST: names a model, carries the question. */
const POST: HttpRequestShape = { namesModel: true, carriesContent: true };
/** GET /models: names no model, carries nothing. */
const GET: HttpRequestShape = { namesModel: false, carriesContent: false };
/** A WebSocket upgrade: names the model in its query, carries nothing, and its body is not read. */
const UPGRADE: HttpRequestShape = { namesModel: true, carriesContent: false };

describe('classifyHttpStatus', () => {
  it.each([
    [401, 'auth', 'auth'],
    [403, 'auth', 'auth'],
    [413, 'too-large', 'clip-too-large'],
    [429, 'rate-limited', 'rate-limited'],
    [400, 'refused', 'server'],
    [422, 'refused', 'server'],
    [500, 'failed', 'server'],
    [502, 'failed', 'server'],
    [503, 'failed', 'server'],
    [599, 'failed', 'server'],
  ] as const)('HTTP %i on a POST is %s (%s)', (status, kind, code) => {
    expect(classifyHttpStatus(status, '', POST)).toEqual({ status, kind, code, serverSays: '' });
  });

  it('takes a 404 as the model when the server says so, and as the URL when it does not', () => {
    const noModel = '{"error":{"message":"The model `qwen` does not exist.","type":"NotFoundError"}}';
    expect(classifyHttpStatus(404, noModel, POST)).toMatchObject({ kind: 'not-found', code: 'model-not-found', serverSays: 'The model `qwen` does not exist.' });
    expect(classifyHttpStatus(404, 'Not Found', POST)).toMatchObject({ kind: 'not-found', code: 'bad-settings', serverSays: 'Not Found' });
    expect(classifyHttpStatus(404, '', POST)).toMatchObject({ kind: 'not-found', code: 'bad-settings' });
  });

  it('never blames a model for a 404 on a request that names none', () => {
    expect(classifyHttpStatus(404, '{"detail":"model list not found"}', GET)).toMatchObject({ kind: 'not-found', code: 'bad-settings' });
    expect(classifyHttpStatus(404, null, GET)).toMatchObject({ kind: 'not-found', code: 'bad-settings' });
  });

  it('without the body (a refused upgrade), takes a 404 on a request naming a model as that model', () => {
    expect(classifyHttpStatus(404, null, UPGRADE)).toEqual({ status: 404, kind: 'not-found', code: 'model-not-found', serverSays: '' });
  });

  it('calls a 413 too large only when the request carried the question', () => {
    expect(classifyHttpStatus(413, '', POST)).toMatchObject({ kind: 'too-large', code: 'clip-too-large' });
    expect(classifyHttpStatus(413, null, UPGRADE)).toMatchObject({ kind: 'unexpected', code: 'server' });
    expect(classifyHttpStatus(413, '', GET)).toMatchObject({ kind: 'unexpected', code: 'server' });
  });

  it.each([200, 302, 405, 409, 418, 600, 99])('HTTP %i, which no rule knows, is unexpected: a server error', (status) => {
    expect(classifyHttpStatus(status, 'Whatever', POST)).toEqual({ status, kind: 'unexpected', code: 'server', serverSays: 'Whatever' });
  });

  it.each([
    ['OpenAI and vLLM', '{"error":{"message":"Invalid model name","type":"BadRequestError","code":400}}', 'Invalid model name'],
    ["vLLM's auth check", '{"error":"Unauthorized"}', 'Unauthorized'],
    ['older vLLM', '{"object":"error","message":"Audio is too long"}', 'Audio is too long'],
    ['FastAPI', '{"detail":"Method Not Allowed"}', 'Method Not Allowed'],
    ['JSON without words', '{"ok":false}', '{"ok":false}'],
    ['a proxy page', '<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>', '502 Bad Gateway nginx'],
    ['plain text', '  Internal Server Error\n', 'Internal Server Error'],
  ])("reads the server's words from %s", (_name, body, words) => {
    expect(classifyHttpStatus(502, body, POST).serverSays).toBe(words);
  });

  it('shortens a long body to 200 characters', () => {
    const words = classifyHttpStatus(500, 'x'.repeat(500), POST).serverSays;
    expect(words).toBe(`${'x'.repeat(200)}…`);
  });

  it('has no words when there was no body, or none was read', () => {
    expect(classifyHttpStatus(500, '', POST).serverSays).toBe('');
    expect(classifyHttpStatus(500, null, UPGRADE).serverSays).toBe('');
  });
});

describe('the sentences both backends share', () => {
  it('a rejected key opens Settings, names the server and the status, in both languages', () => {
    const error = keyRejectedError('api.example.com', classifyHttpStatus(403, null, UPGRADE));
    expect(error).toMatchObject({ code: 'auth', action: 'open-settings', recovery: 'needs-new-settings' });
    expect(error.message).toBe('The API key was rejected by the server at api.example.com (HTTP 403). Open Settings and enter the key the server expects.');
    expectKeyedTranslation(error.toEvent(), 'errors.http.keyRejected');
  });

  it('a rate limit offers a retry, in both languages', () => {
    const error = rateLimitedError('api.example.com');
    expect(error).toMatchObject({ code: 'rate-limited', action: 'retry', recovery: 'retry' });
    expectKeyedTranslation(error.toEvent(), 'errors.http.rateLimited');
  });

  it.each([401, 403, 429])('HTTP %i reads the same from a chat request and a Realtime upgrade', (status) => {
    const chat = httpError(status, '{"error":"Unauthorized"}', { kind: 'chat', baseUrl: 'http://127.0.0.1:8000/v1' }).toEvent();
    const realtime = connectFailureToUserFacing(new Error(`Unexpected server response: ${status}`), 'ws://127.0.0.1:8000/v1/realtime?model=x').toEvent();
    expect(realtime.code).toBe(chat.code);
    expect(realtime.action).toBe(chat.action);
    expect(realtime.messageKey).toBe(chat.messageKey);
    expect(realtime.message).toBe(chat.message.replace('http://127.0.0.1:8000/v1', '127.0.0.1:8000'));
  });
});
