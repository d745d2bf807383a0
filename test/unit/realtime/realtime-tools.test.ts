import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCatalog, ToolEvent } from '../../../src/main/tools/tool-catalog';
import { MAX_TOOL_ROUNDS } from '../../../src/main/backends/backend-tools';
import { ORDER_TEXT } from '../../support/mcp-test-tools';
import { startOrdersCatalog } from '../../support/orders-tool-catalog';
import { startRealtimeServer, type RealtimeServerOptions, type RealtimeTestServer } from '../../support/realtime-server';
import { BackendRecorder } from './backend-recorder';

/*
 * Function calls on the Realtime backend through real parts: the loopback Realtime server emits
 * calls as the real service does (output_item.added, argument deltas, arguments.done,
 * output_item.done, response.done), and the tools are a real ToolCatalog with a real MCP
 * server over stdio (test/support/mcp-test-server.ts).
 */
let catalog: ToolCatalog;
const toolEvents: ToolEvent[] = [];
let server: RealtimeTestServer | null = null;
let recorder: BackendRecorder | null = null;

beforeAll(async () => {
  catalog = await startOrdersCatalog(toolEvents);
});

afterAll(async () => {
  await catalog.dispose();
});

afterEach(async () => {
  await recorder?.backend.dispose();
  await server?.close();
  recorder = null;
  server = null;
});

function sweep(ms: number): Int16Array {
  const pcm = new Int16Array(24 * ms);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin(i / 7));
  return pcm;
}

async function ready(options: RealtimeServerOptions): Promise<{ server: RealtimeTestServer; recorder: BackendRecorder }> {
  server = await startRealtimeServer({ apiKey: 'test-key', ...options });
  recorder = new BackendRecorder(server.url, { tools: catalog });
  await recorder.backend.connect();
  return { server, recorder };
}

const outputsOf = (s: RealtimeTestServer) =>
  s.clientEvents.filter((e) => e.type === 'conversation.item.create' && (e.item as { type: string }).type === 'function_call_output').map((e) => e.item as { call_id: string; output: string });

describe('Realtime backend: tools', () => {
  it('declares the catalog\'s tools, runs a read-only MCP tool once, and sends its text word for word before one response.create', async () => {
    const { server, recorder } = await ready({ functionCall: { name: 'lookup_order', arguments: '{"order_id":"A-7731"}' }, replyText: 'Your lamps arrive Friday.' });
    const update = await server.waitFor('session.update');
    const declared = (update.session as { tools?: Array<{ name?: string }> }).tools ?? [];
    const names = declared.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['lookup_order', 'get_current_time']));

    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    await recorder.waitFor('assistant-text-done');
    await recorder.waitFor('response-done');
    const outputs = outputsOf(server);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.output).toContain(ORDER_TEXT('A-7731'));
    const callId = outputs[0]!.call_id;
    const types = server.clientEvents.map((e) => e.type).filter((t) => t !== 'input_audio_buffer.append');
    expect(types).toEqual(['session.update', 'input_audio_buffer.commit', 'response.create', 'conversation.item.create', 'response.create']);
    // The user hears one reply: the response that only called the tool is not reported as done.
    expect(recorder.of('response-done')).toHaveLength(1);
    expect(toolEvents.filter((e) => e.callId === callId).map((e) => e.status)).toEqual(['running', 'done']);
    expect(toolEvents.find((e) => e.callId === callId)).toMatchObject({ name: 'lookup_order', server: 'orders', arguments: { order_id: 'A-7731' } });
    expect(server.protocolViolations).toEqual([]);
  });

  it('answers two calls in one response before a single response.create', async () => {
    const { server, recorder } = await ready({
      functionCall: [
        { name: 'lookup_order', arguments: '{"order_id":"B-1"}' },
        { name: 'get_current_time', arguments: '{}' },
      ],
    });
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    await recorder.waitFor('response-done');
    expect(outputsOf(server)).toHaveLength(2);
    const types = server.clientEvents.map((e) => e.type).filter((t) => t !== 'input_audio_buffer.append');
    expect(types).toEqual(['session.update', 'input_audio_buffer.commit', 'response.create', 'conversation.item.create', 'conversation.item.create', 'response.create']);
    expect(server.protocolViolations).toEqual([]);
  });

  it('answers a made-up tool name with an error the model can read', async () => {
    const { server, recorder } = await ready({ functionCall: { name: 'launch_rocket', arguments: '{}' } });
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    await recorder.waitFor('response-done');
    expect(outputsOf(server)[0]!.output).toMatch(/launch_rocket/);
    expect(server.protocolViolations).toEqual([]);
  });

  it(`after ${MAX_TOOL_ROUNDS} tool rounds for one question, tells the model to answer with what it has`, async () => {
    const { server, recorder } = await ready({ functionCall: { name: 'get_current_time', arguments: '{}' }, callAgainAfterOutputs: true, replyText: 'It is late.' });
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    await recorder.waitFor('assistant-text-done', () => true, 20_000);
    await recorder.waitFor('response-done');
    expect(outputsOf(server)).toHaveLength(MAX_TOOL_ROUNDS);
    const creates = server.clientEvents.filter((e) => e.type === 'response.create');
    expect(creates.at(-1)).toMatchObject({ response: { tool_choice: 'none' } });
    expect(server.clientEvents.some((e) => e.type === 'conversation.item.create' && (e.item as { role?: string }).role === 'system')).toBe(true);
    expect(server.protocolViolations).toEqual([]);
  });

  it('a barge-in during a slow tool cancels it: the tool reports cancelled and no output goes to the model', async () => {
    const { server, recorder } = await ready({ functionCall: { name: 'slow_task', arguments: '{"seconds":20}' } });
    recorder.speak(sweep(300));
    recorder.backend.finishTurn();
    const running = await (async () => {
      for (let i = 0; i < 200; i++) {
        const event = toolEvents.find((e) => e.name === 'slow_task' && e.status === 'running');
        if (event) return event;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('slow_task never started');
    })();
    recorder.backend.interrupt(null);
    for (let i = 0; i < 200 && !toolEvents.some((e) => e.callId === running.callId && e.status === 'cancelled'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(toolEvents.filter((e) => e.callId === running.callId).map((e) => e.status)).toEqual(['running', 'cancelled']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outputsOf(server)).toEqual([]);
    expect(server.clientEvents.filter((e) => e.type === 'response.create')).toHaveLength(1);
    expect(server.protocolViolations).toEqual([]);
  });
});
