import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/shared/engine-events';
import { ChatAudioServer, type ChatAudioFault, type ChatAudioServerOptions } from '../../support/chat-audio-server';
import type { ChatAudioBackendOptions } from '../../../src/main/backends/chat-audio/chat-audio-backend';
import { BackendUnderTest, chirp } from './chat-audio-harness';

let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  server = null;
  subject = null;
});

async function failedTurn(serverOptions: ChatAudioServerOptions, backendOptions: Partial<ChatAudioBackendOptions>, fault?: ChatAudioFault) {
  server = await ChatAudioServer.start({ reply: 'The first words and then more.', ...serverOptions });
  if (fault) server.inject(fault);
  subject = new BackendUnderTest(server, { requestTimeoutMs: 2_000, ...backendOptions });
  subject.say(chirp(500, 24_000));
  const [done] = await subject.responses(1);
  const error = await subject.next('error');
  return { done, error: error.error, subject };
}

interface Case {
  name: string;
  code: ErrorCode;
  action: 'retry' | 'open-settings' | undefined;
  says: RegExp;
  server?: ChatAudioServerOptions;
  backend?: Partial<ChatAudioBackendOptions>;
  fault?: ChatAudioFault;
}

const cases: Case[] = [
  { name: 'a rejected key (401)', code: 'auth', action: 'open-settings', says: /API key was rejected.*Open Settings/, server: { apiKey: 'right' }, backend: { apiKey: 'wrong' } },
  { name: 'an injected 401', code: 'auth', action: 'open-settings', says: /HTTP 401/, fault: 'unauthorized' },
  { name: 'an unknown model (404)', code: 'model-not-found', action: 'open-settings', says: /"no-such-model".*GET http:\/\/127\.0\.0\.1:\d+\/v1\/models/, backend: { model: 'no-such-model' } },
  { name: 'a model without audio (400)', code: 'audio-unsupported', action: 'open-settings', says: /does not take audio.*Ultravox or Qwen2-Audio/, server: { models: [{ id: 'text-only', audio: false }] } },
  { name: 'another 400', code: 'server', action: 'open-settings', says: /refused the request.*takes audio only as audio_url/, server: { acceptedForms: ['audio_url'] } },
  { name: 'a clip too large (413)', code: 'clip-too-large', action: undefined, says: /Hold the key for a shorter question/, server: { maxBodyBytes: 1000 } },
  { name: 'a rate limit (429)', code: 'rate-limited', action: 'retry', says: /Wait a moment, then retry/, fault: 'rate-limited' },
  { name: 'a server failure (500)', code: 'server', action: 'retry', says: /HTTP 500\): EngineCore encountered an issue.*Retry/, fault: 'server-error' },
  { name: 'a server that never answers', code: 'timeout', action: 'retry', says: /stopped answering for 0\.3 s/, fault: 'hang', backend: { requestTimeoutMs: 300 } },
  { name: 'a stream that goes silent', code: 'timeout', action: 'retry', says: /stopped answering/, fault: 'hang-mid-stream', backend: { requestTimeoutMs: 300 } },
  { name: 'a stream without [DONE]', code: 'stream-broken', action: 'retry', says: /without \[DONE\].*What arrived is kept/, fault: 'no-done' },
  { name: 'a malformed SSE data line', code: 'stream-broken', action: 'retry', says: /not JSON/, fault: 'malformed-sse' },
  { name: 'a dropped connection mid-stream', code: 'stream-broken', action: 'retry', says: /broke off.*connection was dropped/, fault: 'drop-connection' },
  { name: "vLLM's in-stream error chunk", code: 'server', action: 'retry', says: /ran out of KV cache/, fault: 'stream-error' },
];

describe('ChatAudioBackend: errors', () => {
  for (const testCase of cases) {
    it(`reports ${testCase.name} as ${testCase.code} with a message naming the action`, async () => {
      const { done, error } = await failedTurn(testCase.server ?? {}, testCase.backend ?? {}, testCase.fault);
      expect(done).toEqual({ type: 'response-done', status: 'failed' });
      expect(error.code).toBe(testCase.code);
      expect(error.action).toBe(testCase.action);
      expect(error.message).toMatch(testCase.says);
      expect(error.message).toMatch(/\.$/);
    });
  }

  it('keeps the words that streamed before the stream broke, and the turn can be retried', async () => {
    const { subject: tested } = await failedTurn({}, {}, 'no-done');
    const deltas = tested.events.flatMap((event) => (event.type === 'assistant-text' ? [event.delta] : []));
    expect(deltas.join('')).toBe('The first words and then more.');
    expect(tested.types()).not.toContain('assistant-text-done');
    expect(tested.backend.retryLastTurn()).toBe(true);
    await tested.responses(2);
    expect(tested.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });

  it('sends the Bearer key when one is set', async () => {
    server = await ChatAudioServer.start({ apiKey: 'sk-local' });
    subject = new BackendUnderTest(server, { apiKey: 'sk-local' });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-local');
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
  });

  it('reports a refused connection as unreachable, naming the URL', async () => {
    const port = await closedPort();
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server, { url: `http://127.0.0.1:${port}/v1` });
    await expect(subject.backend.connect()).rejects.toMatchObject({ code: 'unreachable', message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}/v1.*Is the server running\\?`)) });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect((await subject.next('error')).error).toMatchObject({ code: 'unreachable', action: 'retry' });
  });

  it('reports an unknown host as unreachable', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server, { url: 'http://parley-no-such-host.invalid:8000/v1' });
    await expect(subject.backend.connect()).rejects.toMatchObject({ code: 'unreachable', message: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
  });

  it('connect() says which models exist when the configured one is not served', async () => {
    server = await ChatAudioServer.start({ models: [{ id: 'fixie-ai/ultravox', audio: true }] });
    subject = new BackendUnderTest(server, { model: 'typo-model' });
    await expect(subject.backend.connect()).rejects.toMatchObject({ code: 'model-not-found', message: expect.stringMatching(/"typo-model".*"fixie-ai\/ultravox"/) });
  });

  it('connect() reports a wrong base URL as a settings problem', async () => {
    server = await ChatAudioServer.start();
    subject = new BackendUnderTest(server, { url: server.baseUrl.replace(/\/v1$/, '') });
    await expect(subject.backend.connect()).rejects.toMatchObject({ code: 'bad-settings', message: expect.stringMatching(/ends in \/v1/) });
  });
});

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
