import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceUnavailable } from '../../../src/main/audio/audio-devices';
import { httpError, streamBrokenError, timeoutError, unreachableError, type ChatAudioRequestKind } from '../../../src/main/backends/chat-audio/chat-audio-errors';
import {
  authError,
  connectFailureToUserFacing,
  droppedError,
  noApiKeyError,
  serverErrorToUserFacing,
} from '../../../src/main/backends/realtime/realtime-errors';
import { hotkeyUnavailable } from '../../../src/main/hotkey/keyboard-hook-probe';
import { EncryptedApiKeyStore } from '../../../src/main/settings/api-key-store';
import { toUserFacingError, UserFacingError } from '../../../src/main/user-facing-error';
import { createI18n } from '../../../src/shared/i18n/create-i18n';

/**
 * Keyed errors keep two texts in step: the English `message` written in code (headless mode,
 * logs) and the template in src/shared/i18n/en.ts that the window renders. Rendering the
 * template with the error's params must give the message exactly, or the window and the log
 * would say different things.
 */
const english = createI18n('en');
const chinese = createI18n('zh-CN');

const URL = 'wss://api.example.com/v1/realtime?model=x';
const BASE = 'http://127.0.0.1:8000/v1';
const KINDS: ChatAudioRequestKind[] = ['models', 'chat', 'transcription', 'speech'];
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

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
  ['realtime 404', () => connectFailureToUserFacing(new Error('Unexpected server response: 404'), URL)],
  ['realtime 429', () => connectFailureToUserFacing(new Error('Unexpected server response: 429'), URL)],
  ['realtime 502', () => connectFailureToUserFacing(new Error('Unexpected server response: 502'), URL)],
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
  ['no microphone', () => deviceUnavailable('input', null)],
  ['no speaker', () => deviceUnavailable('output', null)],
  ['microphone not found', () => deviceUnavailable('input', 'USB Mic')],
  ['speaker not found', () => deviceUnavailable('output', 'HDMI')],
  ['hotkey on Wayland', () => hotkeyUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0' }, 'no display')],
  ['hotkey without display', () => hotkeyUnavailable('linux', {}, 'no display')],
  ['hotkey on X', () => hotkeyUnavailable('linux', { DISPLAY: ':99' }, 'connection refused')],
  ['hotkey on macOS', () => hotkeyUnavailable('darwin', {}, 'not trusted')],
  ['hotkey on Windows', () => hotkeyUnavailable('win32', {}, 'hook failed')],
  ['anything unexpected', () => toUserFacingError(new TypeError('x is undefined'))],
];

describe('keyed error messages', () => {
  it.each(keyed)('%s: the English template gives the very message, and Chinese has it too', (_name, make) => {
    const error = make();
    expect(error).toBeInstanceOf(UserFacingError);
    const event = error!.toEvent();
    expect(event.messageKey, 'the error names its key').toBeDefined();
    const key = event.messageKey!;
    expect(english.exists(key), `${key} is in en.ts`).toBe(true);
    expect(english.t(key, event.params ?? {})).toBe(event.message);
    const translated = chinese.t(key, event.params ?? {});
    expect(translated).not.toBe(event.message);
    expect(translated).not.toMatch(/\{\{/);
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
