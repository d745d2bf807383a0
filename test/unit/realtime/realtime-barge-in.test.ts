import { afterEach, describe, expect, it } from 'vitest';
import { startRealtimeServer, voiceLikeReply, type RealtimeTestServer } from '../../support/realtime-server';
import { BackendRecorder, sweep } from './backend-recorder';

let server: RealtimeTestServer | null = null;
let recorder: BackendRecorder | null = null;

afterEach(async () => {
  await recorder?.backend.dispose();
  await server?.close();
  recorder = null;
  server = null;
});

/** Starts a turn whose reply streams at speaking pace (3 s), and waits until some of it has arrived. */
async function replyInProgress(minAudioMs: number): Promise<{ server: RealtimeTestServer; recorder: BackendRecorder; itemId: string }> {
  server = await startRealtimeServer({ replyAudio: voiceLikeReply(3), paceAudio: true, deltasAfterCancel: 2 });
  recorder = new BackendRecorder(server.url);
  await recorder.backend.connect();
  recorder.speak(sweep(300));
  recorder.backend.finishTurn();
  const received = (): number => (recorder ? recorder.of('assistant-audio').reduce((n, e) => n + e.pcm.length, 0) : 0);
  const enough = await recorder.waitFor('assistant-audio', () => received() >= minAudioMs * 24, 10_000);
  return { server, recorder, itemId: enough.itemId };
}

/** Runs one turn whose short reply (0.6 s) arrives whole; returns the reply's item id. */
async function completedReply(): Promise<{ server: RealtimeTestServer; recorder: BackendRecorder; itemId: string }> {
  server = await startRealtimeServer({ replyAudio: voiceLikeReply(0.6) });
  recorder = new BackendRecorder(server.url);
  await recorder.backend.connect();
  recorder.speak(sweep(300));
  recorder.backend.finishTurn();
  await recorder.waitFor('response-done');
  return { server, recorder, itemId: recorder.of('assistant-audio')[0]?.itemId ?? '' };
}

/** Sends a marker event and waits for it, so everything sent before it has surely arrived; returns the client event types. */
async function clientEventTypesAfterMarker(server: RealtimeTestServer, recorder: BackendRecorder): Promise<string[]> {
  recorder.speak(sweep(50));
  recorder.backend.cancelTurn();
  await server.waitFor('input_audio_buffer.clear');
  return server.clientEvents.map((e) => e.type);
}

describe('RealtimeBackend: barge-in', () => {
  it('cancels the active reply, truncates at the integer ms heard, and ignores audio still in flight', async () => {
    const { server, recorder, itemId } = await replyInProgress(400);
    const audioBefore = recorder.of('assistant-audio').length;
    recorder.backend.interrupt({ itemId, audioEndMs: 250.7 });

    const truncate = await server.waitFor('conversation.item.truncate');
    expect(truncate).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 250 });
    expect(server.clientEvents.filter((e) => e.type === 'response.cancel')).toHaveLength(1);
    const done = await recorder.waitFor('response-done');
    expect(done.status).toBe('cancelled');
    // The server sent deltas after the cancel (it was told to); none reached the session.
    expect(recorder.of('assistant-audio')).toHaveLength(audioBefore);

    // The next turn asks for its reply only once the cancelled one is over: no "active response" error.
    const from = recorder.events.length;
    recorder.speak(sweep(300, 2));
    recorder.backend.finishTurn();
    await recorder.waitFor('response-started', () => true, 5000, from);
    expect(server.protocolViolations).toEqual([]);
  });

  it('clamps the truncate to the audio the server actually sent', async () => {
    const { server, recorder, itemId } = await replyInProgress(200);
    // The player claims more than was ever received (its clock ran ahead): the server would reject that.
    recorder.backend.interrupt({ itemId, audioEndMs: 60_000 });
    const truncate = await server.waitFor('conversation.item.truncate');
    const receivedMs = Math.floor(recorder.of('assistant-audio').reduce((n, e) => n + e.pcm.length, 0) / 24);
    expect(Number.isInteger(truncate.audio_end_ms)).toBe(true);
    expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(200);
    expect(truncate.audio_end_ms).toBeLessThanOrEqual(receivedMs);
    await recorder.waitFor('response-done');
    expect(server.protocolViolations).toEqual([]);
  });

  it('sends no truncate when nothing was heard', async () => {
    const { server, recorder, itemId } = await replyInProgress(100);
    recorder.backend.interrupt(null);
    await recorder.waitFor('response-done');
    recorder.backend.interrupt({ itemId, audioEndMs: 0 });
    recorder.backend.interrupt({ itemId, audioEndMs: 0.6 });
    const types = await clientEventTypesAfterMarker(server, recorder);
    expect(types).not.toContain('conversation.item.truncate');
    expect(types.filter((t) => t === 'response.cancel')).toHaveLength(1);
    expect(server.protocolViolations).toEqual([]);
  });

  it('sends no truncate for a reply of an earlier socket: the new session does not hold it', async () => {
    const { server, recorder, itemId } = await completedReply();
    expect(recorder.conversation.audioMsReceived(itemId)).toBeGreaterThan(480);
    server.dropConnections(1011, 'server restarting');
    const closed = await recorder.waitFor('connection', (e) => e.status === 'closed');
    await recorder.waitFor('connection', (e) => e.status === 'ready', 5000, recorder.events.indexOf(closed));
    // The reply is still playing out of the speaker when the user barges in.
    recorder.backend.interrupt({ itemId, audioEndMs: 480 });
    expect(await clientEventTypesAfterMarker(server, recorder)).not.toContain('conversation.item.truncate');
    expect(server.protocolViolations).toEqual([]);
  });

  it('only truncates, without a cancel, once the reply is already complete', async () => {
    const { server, recorder, itemId } = await completedReply();
    // Playback lags the network: the user interrupts while the last of it is still playing.
    recorder.backend.interrupt({ itemId, audioEndMs: 480 });
    const truncate = await server.waitFor('conversation.item.truncate');
    expect(truncate.audio_end_ms).toBe(480);
    expect(server.clientEvents.map((e) => e.type)).not.toContain('response.cancel');
    expect(server.protocolViolations).toEqual([]);
  });

  it('cancels a reply that was asked for but not yet started', async () => {
    server = await startRealtimeServer({ replyAudio: voiceLikeReply(1), paceAudio: true });
    recorder = new BackendRecorder(server.url);
    await recorder.backend.connect();
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    recorder.backend.interrupt(null);
    const done = await recorder.waitFor('response-done');
    expect(done.status).toBe('cancelled');
    expect(recorder.of('assistant-audio')).toHaveLength(0);
    expect(recorder.of('response-started')).toHaveLength(0);
    expect(server.protocolViolations).toEqual([]);
  });
});
