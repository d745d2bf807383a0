import { afterEach, describe, expect, it } from 'vitest';
import { startRealtimeServer, voiceLikeReply, type RealtimeServerOptions, type RealtimeTestServer } from '../../support/realtime-server';
import { BackendRecorder, sweep } from './backend-recorder';

let server: RealtimeTestServer | null = null;
let recorder: BackendRecorder | null = null;

afterEach(async () => {
  await recorder?.backend.dispose();
  await server?.close();
  recorder = null;
  server = null;
});

async function ready(options: RealtimeServerOptions = {}, backend: ConstructorParameters<typeof BackendRecorder>[1] = {}): Promise<{ server: RealtimeTestServer; recorder: BackendRecorder }> {
  server = await startRealtimeServer(options);
  recorder = new BackendRecorder(server.url, backend);
  await recorder.backend.connect();
  return { server, recorder };
}

/** One finished exchange: the user says `Question n`, the assistant answers `Answer n`. */
async function exchange(recorder: BackendRecorder): Promise<void> {
  const from = recorder.events.length;
  recorder.speak(sweep(200));
  recorder.backend.finishTurn();
  await recorder.waitFor('response-done', () => true, 5000, from);
  await recorder.waitFor('user-transcript-done', () => true, 5000, from);
}

function carriedOver(server: RealtimeTestServer, connection: number): unknown[] {
  return server.clientEvents.filter((e, i) => server.clientEventConnections[i] === connection && e.type === 'conversation.item.create').map((e) => e.item);
}

describe('RealtimeBackend: staying connected', () => {
  it('reconnects after the server closes the socket, and loses none of the audio of a turn held meanwhile', async () => {
    const { server, recorder } = await ready();
    const first = sweep(300, 1);
    const second = sweep(400, 2);
    recorder.speak(first);
    server.dropConnections(1011, 'server restarting');
    await recorder.waitFor('connection', (e) => e.status === 'closed');
    // Still holding the key while the socket is down.
    for (let at = 0; at < second.length; at += 480) recorder.backend.appendAudio(second.subarray(at, at + 480));
    recorder.backend.finishTurn();

    await recorder.waitFor('response-done');
    expect(server.connections).toHaveLength(2);
    expect(server.turns).toHaveLength(1);
    expect(server.turns[0]?.connection).toBe(2);
    const whole = new Int16Array(first.length + second.length);
    whole.set(first);
    whole.set(second, first.length);
    expect(server.turns[0]?.audio).toEqual(whole);
    expect(recorder.of('connection').map((e) => e.status)).toEqual(['connecting', 'ready', 'closed', 'connecting', 'ready']);
    expect(server.protocolViolations).toEqual([]);
  });

  it('reports a reply lost to a dropped socket, then retries the turn on the new one', async () => {
    const { server, recorder } = await ready({ replyAudio: voiceLikeReply(3), paceAudio: true });
    const spoken = sweep(300);
    recorder.speak(spoken);
    recorder.backend.finishTurn();
    await recorder.waitFor('assistant-audio');
    server.dropConnections(1011, '');
    const error = await recorder.waitFor('error');
    expect(error.error.code).toBe('stream-broken');
    expect(error.error.action).toBe('retry');
    await recorder.waitFor('connection', (e) => e.status === 'ready', 5000, recorder.events.indexOf(error));
    expect(recorder.backend.retryLastTurn()).toBe(true);
    await server.waitFor((e) => e.type === 'response.create', 5000, server.clientEvents.findIndex((_, i) => server.clientEventConnections[i] === 2));
    expect(server.turns.map((t) => [t.connection, t.audio])).toEqual([
      [1, spoken],
      [2, spoken],
    ]);
  });

  it('starts a new session when the old one hits its time cap, carrying the conversation over as text', async () => {
    const { server, recorder } = await ready({ userTranscript: (i) => `Question ${i + 1}`, replyText: (i) => `Answer ${i + 1}` });
    await exchange(recorder);
    server.dropConnections(1001, 'Your session hit the maximum duration of 60 minutes.');
    await server.waitForConnection(2);
    await recorder.waitFor('connection', (e) => e.status === 'ready', 5000, recorder.events.findIndex((e) => e.type === 'connection' && e.status === 'closed'));
    expect(recorder.of('error')).toEqual([]);
    await server.waitFor((e) => e.type === 'conversation.item.create', 5000, server.clientEvents.length - 2);
    expect(carriedOver(server, 2)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Question 1' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Answer 1' }] },
    ]);
    await exchange(recorder);
    expect(server.turns.at(-1)?.connection).toBe(2);
    expect(server.protocolViolations).toEqual([]);
  });

  it('renews the session ahead of expires_at, between turns', async () => {
    // Renewal is due 2 s after the session starts: room for a loaded machine to get there first.
    const { server, recorder } = await ready({ expiresInSeconds: 6, userTranscript: () => 'Hello', replyText: () => 'Hi there' }, { renewBeforeExpiryMs: 4000 });
    await exchange(recorder);
    await server.waitForConnection(2, 15_000);
    await server.waitFor((e) => e.type === 'conversation.item.create', 15_000);
    expect(carriedOver(server, 2)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi there' }] },
    ]);
    expect(server.connections[0]?.isOpen).toBe(false);
  });

  it('does not renew a session that expires in a month (beyond what a timer can wait)', async () => {
    const { server, recorder } = await ready({ expiresInSeconds: 30 * 24 * 3600, userTranscript: () => 'Hello', replyText: () => 'Hi there' });
    await exchange(recorder);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]?.isOpen).toBe(true);
  });

  it('continuing an earlier conversation swaps the server\'s items for its words, in order', async () => {
    const { server, recorder } = await ready({ userTranscript: (i) => `Question ${i + 1}`, replyText: (i) => `Answer ${i + 1}` });
    await exchange(recorder);
    const live = [server.turns[0]?.itemId, recorder.of('assistant-text')[0]?.itemId];
    const from = server.clientEvents.length;
    recorder.conversation.replace([
      { itemId: 'history:7:u', role: 'user', text: 'Where is Lyon?', final: true, interrupted: false },
      { itemId: 'history:7:t', role: 'tool', text: '', final: true, interrupted: false },
      { itemId: 'history:7:a', role: 'assistant', text: 'In France.', final: true, interrupted: true },
    ]);
    recorder.backend.replaceConversation();
    await server.waitFor((e) => e.type === 'conversation.item.create', 5000, from + 3);
    const sent = server.clientEvents.slice(from).map((e) => (e.type === 'conversation.item.delete' ? [e.type, e.item_id] : [e.type, e.item]));
    expect(sent.slice(0, 2).map(([type, id]) => [type, live.includes(id as string)])).toEqual([
      ['conversation.item.delete', true],
      ['conversation.item.delete', true],
    ]);
    expect(sent.slice(2)).toEqual([
      ['conversation.item.create', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where is Lyon?' }] }],
      ['conversation.item.create', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'In France.' }] }],
    ]);
    await exchange(recorder);
    expect(server.protocolViolations).toEqual([]);
  });

  it('forgets the conversation by deleting its items on the server', async () => {
    const { server, recorder } = await ready();
    await exchange(recorder);
    recorder.conversation.replace([]);
    recorder.backend.replaceConversation();
    const deleted = await Promise.all([0, 1].map((n) => server.waitFor((e) => e.type === 'conversation.item.delete', 5000, server.clientEvents.length + n - 1)));
    expect(deleted.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = server.clientEvents.filter((e) => e.type === 'conversation.item.delete').map((e) => e.item_id);
    expect(new Set(ids)).toEqual(new Set([server.turns[0]?.itemId, recorder.of('assistant-audio')[0]?.itemId]));
    expect(recorder.backend.retryLastTurn()).toBe(false);
    expect(server.protocolViolations).toEqual([]);
  });
});

describe('RealtimeBackend: server errors', () => {
  it('names the failed client event, keeps the session usable, and says what to do', async () => {
    let failNext = true;
    const { server, recorder } = await ready({
      onClientEvent: (event, connection) => {
        if (event.type !== 'response.create' || !failNext) return false;
        failNext = false;
        connection.sendError({ type: 'server_error', code: null, message: 'The server had an error while processing your request.', event_id: event.event_id ?? null });
        return true;
      },
    });
    recorder.speak(sweep(200));
    recorder.backend.finishTurn();
    const { error } = await recorder.waitFor('error');
    expect(error.code).toBe('server');
    expect(error.recovery).toBe('retry');
    expect(error.message).toContain('response.create');
    expect(error.message).toMatch(/Try again\.$/);
    // The refused response.create left no response pending: the next turn gets its reply.
    await exchange(recorder);
    expect(server.protocolViolations).toEqual([]);
  });

  it('maps rate limits and ignores a commit the server found too short', async () => {
    const { server, recorder } = await ready();
    server.sendError({ type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: 'Error committing input audio buffer: buffer too small.' });
    server.sendError({ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' });
    const { error } = await recorder.waitFor('error');
    expect(error.code).toBe('rate-limited');
    expect(error.recovery).toBe('retry');
    expect(recorder.of('error')).toHaveLength(1);
  });

  it('treats an invalid key reported after the upgrade as fatal auth', async () => {
    const { server, recorder } = await ready();
    server.sendError({ type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' });
    const { error } = await recorder.waitFor('error');
    expect(error.code).toBe('auth');
    expect(error.recovery).toBe('needs-new-settings');
    await recorder.waitFor('connection', (e) => e.status === 'closed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.connections).toHaveLength(1);
    // With no connect() caller waiting, the event is the one place it is said.
    expect(recorder.of('error')).toHaveLength(1);
  });
});
