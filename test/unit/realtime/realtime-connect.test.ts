import { createServer } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';
import { BackendRecorder } from './backend-recorder';

let server: RealtimeTestServer | null = null;
let recorder: BackendRecorder | null = null;

afterEach(async () => {
  await recorder?.backend.dispose();
  await server?.close();
  recorder = null;
  server = null;
});

async function rejection(promise: Promise<unknown>): Promise<UserFacingError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFacingError);
  return error as UserFacingError;
}

describe('RealtimeBackend: connecting', () => {
  it('connects with the key and model, never the beta header, and configures a push-to-talk session', async () => {
    server = await startRealtimeServer({ apiKey: 'test-key' });
    recorder = new BackendRecorder(server.url, { voice: 'cedar', instructions: 'Be brief.' });
    await recorder.backend.connect();

    expect(server.upgrades).toHaveLength(1);
    const upgrade = server.upgrades[0];
    expect(new URL(upgrade?.url ?? '', 'http://x').searchParams.get('model')).toBe('gpt-realtime');
    expect(upgrade?.headers.authorization).toBe('Bearer test-key');
    expect(upgrade?.headers['openai-beta']).toBeUndefined();

    const update = await server.waitFor('session.update');
    expect(update.event_id).toEqual(expect.any(String));
    expect(update.session).toEqual({
      type: 'realtime',
      instructions: 'Be brief.',
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null, transcription: { model: 'gpt-4o-mini-transcribe' } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'cedar' },
      },
    });
    // turn_detection must be sent as an explicit null, not left out (the server would default to VAD).
    expect(JSON.stringify(update)).toContain('"turn_detection":null');
    expect(recorder.of('connection').map((e) => e.status)).toEqual(['connecting', 'ready']);
    expect(server.protocolViolations).toEqual([]);
  });

  it('keeps a model already in the URL and sends no key when there is none for a self-hosted server', async () => {
    server = await startRealtimeServer();
    recorder = new BackendRecorder(`${server.url}?model=my-local-model`, { apiKey: null });
    await recorder.backend.connect();
    const params = new URL(server.upgrades[0]?.url ?? '', 'http://x').searchParams;
    expect(params.getAll('model')).toEqual(['my-local-model']);
    expect(server.upgrades[0]?.headers.authorization).toBeUndefined();
  });

  it('is ready on session.created alone when a server never answers session.update', async () => {
    server = await startRealtimeServer({ sendSessionUpdated: false });
    recorder = new BackendRecorder(server.url, { readyGraceMs: 100 });
    await recorder.backend.connect();
    expect(recorder.of('connection').at(-1)?.status).toBe('ready');
  });

  it('reports a rejected key as a fatal auth error that opens Settings', async () => {
    server = await startRealtimeServer({ apiKey: 'right-key' });
    recorder = new BackendRecorder(server.url, { apiKey: 'wrong-key' });
    const error = await rejection(recorder.backend.connect());
    expect(error.code).toBe('auth');
    expect(error.recovery).toBe('needs-new-settings');
    expect(error.action).toBe('open-settings');
    expect(error.message).toMatch(/API key was rejected.*Open Settings/);
    // No retry loop against a key that cannot work.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.upgrades).toHaveLength(1);
    // The connect() caller was told; it is not said a second time as an event.
    expect(recorder.of('error')).toEqual([]);
  });

  it('quotes what a server that refuses the upgrade says: a wrong path is a setting to fix, not a missing model', async () => {
    server = await startRealtimeServer({ apiKey: 'test-key' });
    recorder = new BackendRecorder(server.url.replace('/v1/realtime', '/v1/realtim'), { apiKey: 'test-key' });
    const error = await rejection(recorder.backend.connect());
    expect(error.code).toBe('bad-settings');
    expect(error.recovery).toBe('needs-new-settings');
    expect(error.message).toMatch(/^\S+ has no Realtime endpoint for that model \(HTTP 404\): Invalid URL \(GET \/v1\/realtim\)\. Open Settings/);
    expect(error.options.text).toEqual({ key: 'errors.realtime.noEndpointSaying', params: { url: expect.any(String), detail: 'Invalid URL (GET /v1/realtim)' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.upgrades).toHaveLength(1);
  });

  it('asks for a key before connecting to api.openai.com without one', async () => {
    let sockets = 0;
    class CountingWebSocket extends WebSocket {
      constructor(address: string, options?: WebSocket.ClientOptions) {
        super(address, options);
        sockets += 1;
      }
    }
    recorder = new BackendRecorder('wss://api.openai.com/v1/realtime', { apiKey: null, WebSocketImpl: CountingWebSocket });
    const error = await rejection(recorder.backend.connect());
    expect(error.code).toBe('no-api-key');
    expect(error.action).toBe('open-settings');
    expect(sockets).toBe(0);
  });

  it('sends the key as api-key to Azure hosts', async () => {
    const seen: Array<Record<string, unknown>> = [];
    // Captures the options instead of dialling Azure, which is not reachable here.
    class CapturingWebSocket extends WebSocket {
      constructor(address: string | URL, options?: WebSocket.ClientOptions) {
        seen.push({ address: String(address), headers: options?.headers });
        super('ws://127.0.0.1:9/', options);
      }
    }
    recorder = new BackendRecorder('wss://myres.openai.azure.com/openai/v1/realtime', { apiKey: 'az-key', WebSocketImpl: CapturingWebSocket });
    await recorder.backend.connect().catch(() => undefined);
    expect(seen[0]).toEqual({ address: 'wss://myres.openai.azure.com/openai/v1/realtime?model=gpt-realtime', headers: { 'api-key': 'az-key' } });
  });

  it('reports a refused port as unreachable, naming the URL', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/v1/realtime`;
    recorder = new BackendRecorder(url);
    const error = await rejection(recorder.backend.connect());
    expect(error.code).toBe('unreachable');
    expect(error.recovery).toBe('retry');
    expect(error.message).toContain(url);
    expect(error.message).not.toContain('model=');
  });

  it('a turn taken while the server is still unreachable says so again, though the outage was already reported', async () => {
    const port = await freePort();
    recorder = new BackendRecorder(`ws://127.0.0.1:${port}/v1/realtime`);
    await rejection(recorder.backend.connect());
    recorder.backend.startTurn();
    recorder.backend.appendAudio(new Int16Array(24_000));
    recorder.backend.finishTurn();
    const { error } = await recorder.waitFor('error');
    expect(error.code).toBe('unreachable');
  });
});

/** A port nobody listens on: bound, read, released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
