import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { ResponseState } from '../../../src/main/backends/realtime/response-state';

/** A ResponseState whose client events are recorded; `ready` says whether the socket would send. */
function setUp() {
  const sent: RealtimeClientEvent[] = [];
  const socket = { ready: true };
  const responses = new ResponseState((event) => {
    if (!socket.ready) return null;
    sent.push(event);
    return `evt_${sent.length}`;
  });
  return { responses, sent, socket, types: () => sent.map((event) => event.type) };
}

describe('ResponseState: one response at a time', () => {
  it('a create asked for while a response runs waits for its end, and goes out once', () => {
    const { responses, types } = setUp();
    responses.request();
    responses.request();
    expect(types()).toEqual(['response.create']);
    responses.created('r1');
    responses.request();
    expect(types()).toEqual(['response.create']);
    expect(responses.done('r1')).toBe(false);
    responses.requestWanted();
    responses.requestWanted();
    expect(types()).toEqual(['response.create', 'response.create']);
    expect(responses.busy).toBe(true);
  });

  it('a create while the socket is down waits for it to be ready', () => {
    const { responses, socket, types } = setUp();
    socket.ready = false;
    responses.request();
    expect(types()).toEqual([]);
    expect(responses.busy).toBe(false);
    socket.ready = true;
    responses.requestWanted();
    expect(types()).toEqual(['response.create']);
  });

  it('the final answer forbids more tool calls', () => {
    const { responses, sent } = setUp();
    responses.request(true);
    expect(sent).toEqual([{ type: 'response.create', response: { tool_choice: 'none' } }]);
  });

  it('a response the server says is still active gets the create after it', () => {
    const { responses, types } = setUp();
    responses.requestLater();
    responses.requestWanted();
    expect(types()).toEqual(['response.create']);
  });

  it('a new socket forgets a waiting create', () => {
    const { responses, types } = setUp();
    responses.request();
    responses.request();
    responses.reset();
    responses.requestWanted();
    expect(types()).toEqual(['response.create']);
    expect(responses.busy).toBe(false);
  });
});

describe('ResponseState: cancelling', () => {
  it('cancels a running response once, and drops its late deltas', () => {
    const { responses, types } = setUp();
    responses.request();
    responses.created('r1');
    responses.cancel();
    responses.cancel();
    expect(types()).toEqual(['response.create', 'response.cancel']);
    expect(responses.isCancelled('r1')).toBe(true);
    expect(responses.done('r1')).toBe(true);
    expect(responses.busy).toBe(false);
  });

  it('cancels a response asked for but not yet created: it is dropped as it arrives', () => {
    const { responses, types } = setUp();
    responses.request();
    responses.cancel();
    responses.cancel();
    expect(types()).toEqual(['response.create', 'response.cancel']);
    expect(responses.created('r1')).toBe(false);
    expect(responses.isCancelled('r1')).toBe(true);
  });

  it('sends nothing when there is no response', () => {
    const { responses, types } = setUp();
    responses.cancel();
    expect(types()).toEqual([]);
  });

  it('a refused create leaves no response to wait for', () => {
    const { responses, types } = setUp();
    responses.request();
    responses.createFailed();
    expect(responses.busy).toBe(false);
    responses.request();
    expect(types()).toEqual(['response.create', 'response.create']);
  });
});
