import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_NOW_INSTRUCTION, MAX_TOOL_ROUNDS } from '../../../src/main/backends/backend-tools';
import type { ToolCatalog, ToolEvent } from '../../../src/main/tools/tool-catalog';
import { ChatAudioServer, speechFor, type ChatAudioServerOptions, type RecordedChatRequest } from '../../support/chat-audio-server';
import { startOrdersCatalog } from '../../support/orders-tool-catalog';
import { ORDER_TEXT } from '../../support/mcp-test-tools';
import { BackendUnderTest, chirp } from './chat-audio-harness';

/*
 * Tool calls on the chat-audio backend through real parts: the loopback vLLM stand-in streams
 * `tool_calls` chunk by chunk as vLLM does and checks every request's message order, and the
 * tools are a real ToolCatalog with a real MCP server over stdio (test/support/mcp-test-server.ts).
 */
let catalog: ToolCatalog;
const toolEvents: ToolEvent[] = [];
let server: ChatAudioServer | null = null;
let subject: BackendUnderTest | null = null;

beforeAll(async () => {
  catalog = await startOrdersCatalog(toolEvents);
});

afterAll(async () => {
  await catalog.dispose();
});

afterEach(async () => {
  await subject?.backend.dispose();
  await server?.close();
  subject = null;
  server = null;
});

async function ready(options: ChatAudioServerOptions): Promise<{ server: ChatAudioServer; subject: BackendUnderTest }> {
  server = await ChatAudioServer.start(options);
  subject = new BackendUnderTest(server, { tools: catalog });
  await subject.backend.connect();
  return { server, subject };
}

/** What the MCP server itself saw, read back through the protocol. */
async function journal(): Promise<string> {
  return (await catalog.call('read_journal', '{}', { callId: `journal-${toolEvents.length}` })).output;
}

const countOf = (text: string, line: string): number => text.split('\n').filter((entry) => entry === line).length;
const eventsOf = (callId: string | undefined): ToolEvent[] => toolEvents.filter((event) => event.callId === callId);
const roles = (request: RecordedChatRequest | undefined): string[] => request?.messages.map((message) => message.role) ?? [];

describe('ChatAudioBackend: tools', () => {
  it('declares the tools, runs a called MCP tool once, and sends its output word for word in a next request that keeps the order', async () => {
    const { server, subject } = await ready({
      toolCalls: { calls: [{ name: 'lookup_order', arguments: '{"order_id":"A-7731"}' }] },
      reply: 'Your lamps arrive Friday.',
    });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    const [asked, answered] = server.requests;
    expect(asked?.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['lookup_order', 'get_current_time']));
    expect(asked?.toolChoice).toBe('auto');
    expect(server.requests).toHaveLength(2);

    const call = asked!.toolCallsSent[0]!;
    expect(roles(answered)).toEqual(['user', 'assistant', 'tool']);
    expect(answered?.messages[0]?.audioParts).toBe(1);
    expect(Array.from(answered!.audio[0]!.wav.samples)).toEqual(Array.from(asked!.audio[0]!.wav.samples));
    expect(answered?.messages[1]?.toolCalls).toEqual([{ id: call.id, name: 'lookup_order', arguments: '{"order_id":"A-7731"}' }]);
    expect(answered?.messages[2]?.toolCallId).toBe(call.id);
    const final = eventsOf(call.id).at(-1);
    expect(answered?.messages[2]?.text).toBe(final?.result);
    expect(answered?.messages[2]?.text).toContain(ORDER_TEXT('A-7731'));
    expect(await journal()).toContain('lookup_order A-7731');

    expect(eventsOf(call.id).map((event) => event.status)).toEqual(['running', 'done']);
    expect(eventsOf(call.id)[0]).toMatchObject({ name: 'lookup_order', server: 'orders', arguments: { order_id: 'A-7731' } });
    // One reply for the user: the request that only called the tool ends no response.
    expect(subject.types().filter((type) => type === 'response-started' || type === 'response-done')).toEqual(['response-started', 'response-done']);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect((await subject.next('assistant-text-done')).text).toBe('Your lamps arrive Friday.');

    // A later question carries the whole exchange, still in a valid order.
    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(roles(server.requests[2])).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(server.requests[2]?.messages[3]?.text).toBe('Your lamps arrive Friday.');
    expect(server.rejections).toEqual([]);
  });

  it('answers two calls in one reply, each under its own id and in call order, in one next request', async () => {
    const { server, subject } = await ready({
      toolCalls: {
        calls: [
          { name: 'lookup_order', arguments: '{"order_id":"B-1"}' },
          { name: 'get_current_time', arguments: '{}' },
        ],
        header: 'with-empty-arguments',
      },
    });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests).toHaveLength(2);
    const sent = server.requests[0]!.toolCallsSent;
    const next = server.requests[1]!;
    expect(roles(next)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(next.messages[1]?.toolCalls?.map((call) => [call.id, call.name, call.arguments])).toEqual(sent.map((call) => [call.id, call.name, call.arguments]));
    expect(next.messages.slice(2).map((message) => message.toolCallId)).toEqual(sent.map((call) => call.id));
    expect(next.messages[2]?.text).toContain(ORDER_TEXT('B-1'));
    expect(sent.map((call) => eventsOf(call.id).map((event) => event.status))).toEqual([
      ['running', 'done'],
      ['running', 'done'],
    ]);
    expect(server.rejections).toEqual([]);
  });

  it('takes a call whose deltas carry no arguments key at all (vLLM, a tool without parameters)', async () => {
    const { server, subject } = await ready({ toolCalls: { calls: [{ name: 'get_current_time', arguments: '' }], header: 'without-arguments' } });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    const call = server.requests[0]!.toolCallsSent[0]!;
    expect(eventsOf(call.id).map((event) => event.status)).toEqual(['running', 'done']);
    // Sent back as an empty object, since vLLM parses the arguments it is given as JSON.
    expect(server.requests[1]?.messages[1]?.toolCalls).toEqual([{ id: call.id, name: 'get_current_time', arguments: '{}' }]);
    expect(server.requests[1]?.messages[2]?.text).toBe(eventsOf(call.id).at(-1)?.result);
    expect(server.rejections).toEqual([]);
  });

  it(`after ${MAX_TOOL_ROUNDS} tool rounds for one question, asks without tools and tells the model to answer`, async () => {
    const { server, subject } = await ready({
      // A model that would call tools for ever while it may.
      toolCalls: () => ({ calls: [{ name: 'get_current_time', arguments: '{}' }] }),
      reply: 'It is late.',
    });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(server.requests.slice(0, MAX_TOOL_ROUNDS).every((request) => request.toolChoice === 'auto' && request.tools.length > 0)).toBe(true);
    const last = server.requests.at(-1)!;
    expect(last.tools).toEqual([]);
    expect(last.toolChoice).toBeUndefined();
    expect(last.messages[0]).toMatchObject({ role: 'system', text: ANSWER_NOW_INSTRUCTION });
    expect(roles(last)).toEqual(['system', 'user', ...Array.from({ length: MAX_TOOL_ROUNDS }, () => ['assistant', 'tool']).flat()]);
    expect((await subject.next('assistant-text-done')).text).toBe('It is late.');
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect(server.rejections).toEqual([]);
  });

  it('a barge-in during a slow tool cancels it, ends the reply as cancelled, and sends no tool message', async () => {
    const { server, subject } = await ready({
      toolCalls: (request) => (server?.requests.indexOf(request) === 0 ? { calls: [{ name: 'slow_task', arguments: '{"seconds":20}' }] } : null),
      reply: 'Next answer.',
    });
    const before = await journal();
    const startedBefore = countOf(before, 'slow_task started');
    const cancelledBefore = countOf(before, 'slow_task cancelled');
    subject.say(chirp(300, 24_000));
    const callId = await (async () => {
      for (;;) {
        const sent = server.requests[0]?.toolCallsSent[0];
        if (sent && eventsOf(sent.id).length > 0) return sent.id;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // 'running' is reported before the call reaches the MCP server: interrupting then (a loaded
    // machine) cancels it before the server ever sees it, and the server has nothing to journal.
    while (countOf(await journal(), 'slow_task started') === startedBefore) await new Promise((resolve) => setTimeout(resolve, 20));
    subject.backend.interrupt(null);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'cancelled' });
    while (eventsOf(callId).length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(eventsOf(callId).map((event) => event.status)).toEqual(['running', 'cancelled']);
    expect(countOf(await journal(), 'slow_task cancelled')).toBe(cancelledBefore + 1);

    // The next question is the next request: nothing of the cancelled round went out in between.
    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(server.requests).toHaveLength(2);
    expect(roles(server.requests[1])).toEqual(['user', 'user']);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect(server.rejections).toEqual([]);
  });

  it('answers a tool name the model made up with an error the model can read, then streams the answer', async () => {
    const { server, subject } = await ready({ toolCalls: { calls: [{ name: 'launch_rocket', arguments: '{}' }] }, reply: 'I cannot do that.' });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    const call = server.requests[0]!.toolCallsSent[0]!;
    expect(server.requests[1]?.messages[2]).toMatchObject({ role: 'tool', toolCallId: call.id });
    expect(server.requests[1]?.messages[2]?.text).toMatch(/launch_rocket/);
    expect(eventsOf(call.id).map((event) => event.status)).toEqual(['running', 'failed']);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    expect(server.rejections).toEqual([]);
  });
});

describe('ChatAudioBackend: tools with spoken replies', () => {
  it('speaks what the model said before its calls, then only the answer; the history keeps each with its round', async () => {
    server = await ChatAudioServer.start({
      toolCalls: { text: 'Let me look that up.', calls: [{ name: 'lookup_order', arguments: '{"order_id":"C-9"}' }] },
      reply: 'Your lamps arrive Friday.',
    });
    subject = new BackendUnderTest(server, { tools: catalog, speech: { enabled: true, model: 'tts-1', voice: 'alloy' } });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.speechRequests.map((request) => request.input)).toEqual(['Let me look that up.', 'Your lamps arrive Friday.']);
    const audio = subject.events.flatMap((event) => (event.type === 'assistant-audio' ? Array.from(event.pcm) : []));
    expect(audio).toEqual([...speechFor('Let me look that up.'), ...speechFor('Your lamps arrive Friday.')]);
    expect((await subject.next('assistant-text-done')).text).toBe('Let me look that up. Your lamps arrive Friday.');
    expect(server.requests[1]?.messages[1]).toMatchObject({ role: 'assistant', text: 'Let me look that up.' });
    expect(subject.types().filter((type) => type === 'response-done')).toHaveLength(1);
    expect(subject.types().lastIndexOf('assistant-audio')).toBeLessThan(subject.types().indexOf('response-done'));

    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(roles(server.requests[2])).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(server.requests[2]?.messages[3]?.text).toBe('Your lamps arrive Friday.');
    expect(server.rejections).toEqual([]);
  });

  it('speaks the words said before a slow call while the call is still running: no dead air', async () => {
    server = await ChatAudioServer.start({ toolCalls: { text: 'One moment please.', calls: [{ name: 'slow_task', arguments: '{"seconds":20}' }] } });
    subject = new BackendUnderTest(server, { tools: catalog, speech: { enabled: true, model: 'tts-1', voice: 'alloy' } });
    subject.say(chirp(300, 24_000));
    // Waits (the test's timeout is the limit) for the sentence's audio; the call has not ended meanwhile.
    await subject.next('assistant-audio');
    const callId = server.requests[0]!.toolCallsSent[0]!.id;
    expect(server.speechRequests.map((request) => request.input)).toEqual(['One moment please.']);
    expect(eventsOf(callId).map((event) => event.status)).toEqual(['running']);
    expect(subject.types()).not.toContain('response-done');
    subject.backend.interrupt(null);
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'cancelled' });
  });
});

describe('ChatAudioBackend: a server without tool calls', () => {
  it('like vLLM without --enable-auto-tool-choice: asks again without tools, says how to enable them once, and answers', async () => {
    const { server, subject } = await ready({ autoToolChoice: false, reply: 'Plain answer.' });
    subject.say(chirp(300, 24_000));
    await subject.responses(1);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.tools).toEqual([]);
    expect((await subject.next('assistant-text-done')).text).toBe('Plain answer.');
    expect(subject.events.at(-1)).toEqual({ type: 'response-done', status: 'completed' });
    const error = (await subject.next('error')).error;
    expect(error.message).toMatch(/--enable-auto-tool-choice --tool-call-parser/);
    expect(error.recovery).toBe('retry');
    expect(error.action).toBeUndefined();

    subject.say(chirp(300, 24_000));
    await subject.responses(2);
    expect(server.requests).toHaveLength(2);
    expect(subject.events.filter((event) => event.type === 'error')).toHaveLength(1);
    expect(server.rejections).toEqual([]);
  });
});
