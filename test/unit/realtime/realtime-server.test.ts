import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';

/** The loopback server itself, driven by a bare ws client: the other tests rely on its strictness. */
let server: RealtimeTestServer | null = null;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = null;
});

interface Client {
  ws: WebSocket;
  received: Array<Record<string, unknown>>;
  send(event: Record<string, unknown>): void;
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

async function client(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers });
  sockets.push(ws);
  const received: Array<Record<string, unknown>> = [];
  let seen = 0;
  ws.on('message', (data) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    received,
    send: (event) => ws.send(JSON.stringify(event)),
    next: async (type, timeoutMs = 3000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex((e, i) => i >= seen && e.type === type);
        if (index >= 0) {
          seen = index + 1;
          return received[index] as Record<string, unknown>;
        }
        if (Date.now() > until) throw new Error(`no ${type}; got ${received.map((e) => e.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

describe('the loopback Realtime server', () => {
  it('rejects a wrong key with HTTP 401 on the upgrade', async () => {
    server = await startRealtimeServer({ apiKey: 'k' });
    const ws = new WebSocket(server.url, { headers: { Authorization: 'Bearer nope' } });
    sockets.push(ws);
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    expect(error.message).toContain('401');
  });

  it('closes a socket that sends the beta header, and records it', async () => {
    server = await startRealtimeServer();
    const c = await client(server.url, { 'OpenAI-Beta': 'realtime=v1' });
    const code = await new Promise<number>((resolve) => c.ws.once('close', resolve));
    expect(code).toBe(4000);
    expect(server.protocolViolations).toHaveLength(1);
  });

  it('answers unknown and malformed events with real-looking errors and records them', async () => {
    server = await startRealtimeServer();
    const c = await client(server.url);
    await c.next('session.created');
    c.send({ type: 'session.update', event_id: 'e1', session: { type: 'realtime', temperature: 0.8 } });
    expect((await c.next('error')).error).toMatchObject({ code: 'unknown_parameter', message: "Unknown parameter: 'session.temperature'.", event_id: 'e1' });
    c.send({ type: 'input_audio_buffer.push', event_id: 'e2' });
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_value', param: 'type', event_id: 'e2' });
    c.send({ type: 'conversation.item.create', event_id: 'e3', item: { type: 'function_call_output', output: '{}' } });
    expect((await c.next('error')).error).toMatchObject({ event_id: 'e3' });
    expect(server.protocolViolations).toHaveLength(3);
  });

  it('refuses a commit under 100 ms, a cancel with nothing active, and bad truncates, as OpenAI does', async () => {
    server = await startRealtimeServer({ replyAudio: new Int16Array(24_00 * 5) });
    const c = await client(server.url);
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(2 * 2000).toString('base64') });
    c.send({ type: 'input_audio_buffer.commit' });
    expect((await c.next('error')).error).toMatchObject({ code: 'input_audio_buffer_commit_empty' });
    c.send({ type: 'response.cancel' });
    expect((await c.next('error')).error).toMatchObject({ code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found' });

    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(2 * 600).toString('base64') });
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const done = await c.next('response.done');
    const item = ((done.response as { output: Array<{ id: string }> }).output[0] as { id: string }).id;
    c.send({ type: 'conversation.item.truncate', item_id: item, content_index: 0, audio_end_ms: 120.5 });
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_type', param: 'audio_end_ms' });
    c.send({ type: 'conversation.item.truncate', item_id: item, content_index: 0, audio_end_ms: 900 });
    expect((await c.next('error')).error).toMatchObject({ message: 'Audio content of 500ms is already shorter than 900ms' });
    c.send({ type: 'conversation.item.truncate', item_id: item, content_index: 0, audio_end_ms: 300 });
    expect(await c.next('conversation.item.truncated')).toMatchObject({ item_id: item, audio_end_ms: 300 });
    expect(server.turns.map((t) => t.audio.length)).toEqual([2600]);
    expect(server.protocolViolations).toHaveLength(4);
  });
});
