import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceUnavailable } from '../../../src/main/audio/audio-devices';
import { micFailed, micOpenFailed, micSendsNoSound, micStoppedSending } from '../../../src/main/audio/mic-errors';
import { speakerDoesNotPlay, speakerOpenFailed, speakerStoppedWorking } from '../../../src/main/audio/speaker-errors';
import {
  CONNECTION_DROPPED,
  httpError,
  speechFailedError,
  streamBrokenError,
  timeoutError,
  transcriptionFailedError,
  unreachableError,
  type ChatAudioRequestKind,
} from '../../../src/main/backends/chat-audio/chat-audio-errors';
import {
  authError,
  connectFailureToUserFacing,
  upgradeRefusedError,
  droppedError,
  noApiKeyError,
  serverErrorToUserFacing,
  shuttingDown,
} from '../../../src/main/backends/realtime/realtime-errors';
import { parseHotkey } from '../../../src/main/hotkey/hotkey-combo';
import { hotkeyUnavailable } from '../../../src/main/hotkey/keyboard-hook-probe';
import { logsFolderUnopened } from '../../../src/main/ipc/ipc-handlers';
import { silentMicError } from '../../../src/main/session/session-transitions';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { toUserFacingError, UserFacingError } from '../../../src/main/user-facing-error';
import { chinese, english, expectKeyedTranslation } from './keyed-error-check';

/** The keyed errors that are built from values alone; errors met over HTTP or IPC are in error-messages-io.test.ts. */
const URL = 'wss://api.example.com/v1/realtime?model=x';
const BASE = 'http://127.0.0.1:8000/v1';
const KINDS: ChatAudioRequestKind[] = ['models', 'chat', 'transcription', 'speech'];
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
const reset = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
const NO_MODEL = '{"error":{"message":"The model `qwen` does not exist.","type":"NotFoundError"}}';

function thrownBy(work: () => unknown): UserFacingError {
  try {
    work();
  } catch (error) {
    return error as UserFacingError;
  }
  throw new Error('expected a throw');
}

const server = (detail: Partial<Parameters<typeof serverErrorToUserFacing>[0]>) =>
  serverErrorToUserFacing({ type: 'invalid_request_error', code: null, message: 'Bad thing.', param: null, failedEventType: undefined, ...detail }, URL);

const keyed: Array<[string, () => UserFacingError | null]> = [
  ['realtime auth', () => authError('api.example.com')],
  ['realtime no key', () => noApiKeyError()],
  ['realtime unknown model', () => server({ code: 'model_not_found' })],
  ['realtime no credit', () => server({ code: 'insufficient_quota' })],
  ['realtime rate limit', () => server({ code: 'rate_limit_exceeded' })],
  ['realtime server problem', () => server({})],
  ['realtime server problem in reply', () => server({ failedEventType: 'session.update' })],
  ['realtime 401', () => connectFailureToUserFacing(new Error('Unexpected server response: 401'), URL)],
  ['realtime 404', () => connectFailureToUserFacing(new Error('Unexpected server response: 404'), URL)],
  ['realtime 429', () => connectFailureToUserFacing(new Error('Unexpected server response: 429'), URL)],
  ['realtime 502', () => connectFailureToUserFacing(new Error('Unexpected server response: 502'), URL)],
  ['realtime 404 saying', () => upgradeRefusedError(404, '{"error":{"message":"Invalid URL (GET /v1/realtim)"}}', URL)],
  ['realtime 502 saying', () => upgradeRefusedError(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', URL)],
  ['realtime timeout', () => connectFailureToUserFacing(new Error('Opening handshake has timed out'), URL)],
  ['realtime unreachable', () => connectFailureToUserFacing(refused, URL)],
  ['realtime expired', () => droppedError(true, 1000, '')],
  ['realtime dropped', () => droppedError(false, 1006, '')],
  ['realtime dropped with reason', () => droppedError(false, 1011, 'server going away')],
  ['chat auth', () => httpError(401, '{"error":"Unauthorized"}', { kind: 'chat', baseUrl: BASE })],
  ['chat no endpoint', () => httpError(404, 'Not Found', { kind: 'speech', baseUrl: BASE })],
  ['chat too large', () => httpError(413, '', { kind: 'chat', baseUrl: BASE })],
  ['chat rate limit', () => httpError(429, '', { kind: 'chat', baseUrl: BASE })],
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat timeout (${kind})`, () => timeoutError({ kind, baseUrl: BASE }, 12_345)]),
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat unreachable (${kind})`, () => unreachableError({ kind, baseUrl: BASE }, refused)]),
  ['chat stream broken', () => streamBrokenError({ kind: 'chat', baseUrl: BASE }, 'socket hang up')],
  ['chat stream dropped', () => streamBrokenError({ kind: 'chat', baseUrl: BASE }, CONNECTION_DROPPED)],
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat dropped (${kind})`, () => unreachableError({ kind, baseUrl: BASE }, reset)]),
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat refused (${kind})`, () => httpError(400, '', { kind, baseUrl: BASE })]),
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat refused, saying why (${kind})`, () => httpError(422, '{"detail":"field required."}', { kind, baseUrl: BASE })]),
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat failed (${kind})`, () => httpError(500, '', { kind, baseUrl: BASE })]),
  ...KINDS.map((kind): [string, () => UserFacingError] => [`chat failed, saying why (${kind})`, () => httpError(502, '<html><h1>Bad Gateway</h1></html>', { kind, baseUrl: BASE })]),
  ['chat model not served', () => httpError(404, NO_MODEL, { kind: 'chat', baseUrl: BASE, model: 'qwen' })],
  ['chat model not served, unnamed', () => httpError(404, NO_MODEL, { kind: 'speech', baseUrl: BASE })],
  ['chat tools refused', () => httpError(400, '{"error":{"message":"\\"auto\\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set"}}', { kind: 'chat', baseUrl: BASE })],
  ['chat too many clips', () => httpError(400, '{"error":{"message":"At most 2 audio(s) may be provided in one request."}}', { kind: 'chat', baseUrl: BASE })],
  ['chat no audio', () => httpError(400, '{"message":"This model does not support multi-modal inputs."}', { kind: 'chat', baseUrl: BASE, model: 'llama' })],
  ['chat no audio, unnamed', () => httpError(400, '{"message":"This model does not support multi-modal inputs."}', { kind: 'chat', baseUrl: BASE })],
  ['speech failed, the rest spoken', () => speechFailedError(timeoutError({ kind: 'speech', baseUrl: BASE }, 4_000))],
  ['speech failed at its settings, the rest spoken', () => speechFailedError(httpError(404, 'Not Found', { kind: 'speech', baseUrl: BASE }))],
  ['transcription failed, the question sent', () => transcriptionFailedError(httpError(404, NO_MODEL, { kind: 'transcription', baseUrl: BASE, model: 'whisper' }))],
  ['microphone will not open', () => micOpenFailed('USB Mic', new Error('Invalid sample rate'))],
  ['microphone sends no sound', () => micSendsNoSound('USB Mic')],
  ['microphone stopped sending', () => micStoppedSending('USB Mic')],
  ['default microphone stopped sending', () => micStoppedSending(null)],
  ['microphone stopped working', () => micFailed('USB Mic', new Error('Unanticipated host error'))],
  ['default microphone stopped working', () => micFailed(null, new Error('Unanticipated host error'))],
  ['microphone silent while the key was held', () => silentMicError()],
  ['speaker will not open', () => speakerOpenFailed('HDMI', new Error('Device unavailable'))],
  ['speaker does not play', () => speakerDoesNotPlay('HDMI')],
  ['speaker stopped working', () => speakerStoppedWorking('HDMI', new Error('stall'))],
  ['default speaker stopped working', () => speakerStoppedWorking(null, new Error('stall'))],
  ['no microphone', () => deviceUnavailable('input', null)],
  ['no speaker', () => deviceUnavailable('output', null)],
  ['microphone not found', () => deviceUnavailable('input', 'USB Mic')],
  ['speaker not found', () => deviceUnavailable('output', 'HDMI')],
  ['hotkey on Wayland', () => hotkeyUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0' }, 'no display')],
  ['hotkey without display', () => hotkeyUnavailable('linux', {}, 'no display')],
  ['hotkey on X', () => hotkeyUnavailable('linux', { DISPLAY: ':99' }, 'connection refused')],
  ['hotkey on macOS', () => hotkeyUnavailable('darwin', {}, 'not trusted')],
  ['hotkey on Windows', () => hotkeyUnavailable('win32', {}, 'hook failed')],
  ['hotkey not valid', () => thrownBy(() => parseHotkey('Ctrl+'))],
  ['Realtime socket closed for good', () => shuttingDown()],
  ['logs folder will not open', () => logsFolderUnopened('/home/me/.config/Parley/logs', 'Failed to open path')],
  ['anything unexpected', () => toUserFacingError(new TypeError('x is undefined'))],
];

describe('keyed error messages', () => {
  it.each(keyed)('%s: the English template gives the very message, and Chinese has it too', (_name, make) => {
    const error = make();
    expect(error).toBeInstanceOf(UserFacingError);
    expectKeyedTranslation(error!.toEvent());
  });

  it("nests the failure's own translation in a follow-up sentence", () => {
    const translated = expectKeyedTranslation(speechFailedError(timeoutError({ kind: 'speech', baseUrl: BASE }, 4_000)).toEvent());
    expect(translated).toBe(`${chinese.t('errors.chatAudio.timeout.speech', { url: BASE, seconds: 4 })}Parley 已继续朗读回复的其余部分；没能朗读的文字仍显示在屏幕上。`);
    const unkeyed = transcriptionFailedError(new UserFacingError('server', 'Something odd.'));
    expect(unkeyed.message).toBe('Something odd. Your question still went to the model.');
    expect(unkeyed.toEvent().messageKey).toBeUndefined();
  });

  it('covers a saved key that cannot be unlocked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-i18n-key-'));
    try {
      const path = join(dir, 'api-key.bin');
      await writeFile(path, 'not a ciphertext');
      const store = new EncryptedApiKeyStore({
        path,
        cipher: { isEncryptionAvailable: () => true, encryptString: () => Buffer.alloc(0), decryptString: () => { throw new Error('keyring changed'); } },
      });
      const { problem } = await store.lookup();
      const event = problem!.toEvent();
      expect(event.messageKey).toBe('errors.apiKey.cannotUnlock');
      expect(english.t(event.messageKey!, event.params ?? {})).toBe(event.message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('covers the API key store', async () => {
    const broken = new EncryptedApiKeyStore({
      path: `${process.cwd()}/test-output/no-such-dir/unused.bin`,
      cipher: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    });
    const errors = await Promise.all([broken.set('   ').catch((error: unknown) => error), broken.set('sk-x').catch((error: unknown) => error)]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(UserFacingError);
      const event = (error as UserFacingError).toEvent();
      expect(english.t(event.messageKey!, event.params ?? {})).toBe(event.message);
    }
  });
});
