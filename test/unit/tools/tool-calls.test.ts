import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolApprovalPolicy, type ApprovalAnswer, type ApprovalRequest, type ToolApprovalMode } from '../../../src/main/tools/tool-approval-policy';
import { ToolCatalog } from '../../../src/main/tools/tool-catalog';
import type { ToolEvent } from '../../../src/main/tools/tool-events';
import { MAX_TOOL_OUTPUT_CHARS } from '../../../src/main/tools/tool-result-text';
import { ORDER_TEXT } from '../../support/mcp-test-tools';
import { testServerCommand } from '../../support/mcp-test-server-command';

// Tool calls through a real MCP server over stdio (test/support/mcp-test-server.ts).
const SECRET = 'sk-test-0123456789';

function catalogWith(mode: ToolApprovalMode, approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>, onAlwaysAllow?: (key: string) => void): ToolCatalog {
  return new ToolCatalog({
    servers: [{ name: 'orders', transport: 'stdio', ...testServerCommand(), env: { ORDERS_TOKEN: SECRET } }],
    policy: new ToolApprovalPolicy({ mode, ...(approve ? { approve } : {}), ...(onAlwaysAllow ? { onAlwaysAllow } : {}) }),
    builtIns: { timeZone: 'Asia/Tokyo' },
  });
}

async function journalOf(catalog: ToolCatalog, id: string): Promise<string> {
  return (await catalog.call('read_journal', '', { callId: id })).output;
}

/** Polls the server's journal: the cancellation notification reaches the server asynchronously. */
async function untilJournalHas(catalog: ToolCatalog, line: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await journalOf(catalog, `journal-${line}-${attempt}`)).split('\n').includes(line)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server never logged "${line}"`);
}

describe('ToolCatalog calls, read-only mode', () => {
  let catalog: ToolCatalog;
  const events: ToolEvent[] = [];
  const eventsOf = (callId: string): ToolEvent[] => events.filter((event) => event.callId === callId);

  beforeAll(async () => {
    catalog = catalogWith('read-only');
    catalog.onToolEvent((event) => events.push(event));
    await catalog.start();
  });
  afterAll(() => catalog.dispose());

  it('declares built-in and server tools in both API shapes, from one list', () => {
    const realtime = catalog.realtimeTools();
    const lookup = realtime.find((tool) => tool.name === 'lookup_order')!;
    expect(lookup).toMatchObject({ type: 'function', description: 'Looks up an order by its id and says what is in it and where it is.' });
    expect(lookup.parameters).toMatchObject({ type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] });
    expect(realtime[0]!.name).toBe('get_current_time');
    expect(catalog.chatCompletionTools()).toEqual(realtime.map(({ name, description, parameters }) => ({ type: 'function', function: { name, description, parameters } })));
  });

  it('runs a read-only tool without asking and passes its text word for word, with running then done events', async () => {
    const result = await catalog.call('lookup_order', '{"order_id":"A-7731"}', { callId: 'call-1' });
    expect(result).toEqual({ callId: 'call-1', name: 'lookup_order', server: 'orders', status: 'done', output: ORDER_TEXT('A-7731'), truncated: false });
    expect(eventsOf('call-1').map((event) => event.status)).toEqual(['running', 'done']);
    expect(eventsOf('call-1')[1]).toEqual({ type: 'tool', callId: 'call-1', name: 'lookup_order', server: 'orders', status: 'done', arguments: { order_id: 'A-7731' }, result: ORDER_TEXT('A-7731') });
  });

  it('answers the built-in time tool in the user’s time zone', async () => {
    const result = await catalog.call('get_current_time', '{}', { callId: 'time-1' });
    expect(result.status).toBe('done');
    expect(result.server).toBe('parley');
    expect(result.output).toContain('Asia/Tokyo');
  });

  it('runs each call id once, even when asked twice at the same time', async () => {
    const first = catalog.call('lookup_order', '{"order_id":"B-1"}', { callId: 'twice' });
    const second = catalog.call('lookup_order', '{"order_id":"B-1"}', { callId: 'twice' });
    expect(second).toBe(first);
    await first;
    const journal = await journalOf(catalog, 'journal-twice');
    expect(journal.split('\n').filter((line) => line === 'lookup_order B-1')).toHaveLength(1);
    expect(eventsOf('twice').map((event) => event.status)).toEqual(['running', 'done']);
  });

  it('tells the model about a tool name it made up, and lists the real ones', async () => {
    const result = await catalog.call('find_flight', '{}', { callId: 'made-up' });
    expect(result.status).toBe('failed');
    expect(result.output).toMatch(/^There is no tool named "find_flight"\. The tools you can call are: get_current_time, lookup_order, /);
    expect(eventsOf('made-up').map((event) => event.status)).toEqual(['running', 'failed']);
  });

  it('tells the model when its arguments are not valid JSON', async () => {
    const result = await catalog.call('lookup_order', '{"order_id": "A-', { callId: 'bad-json' });
    expect(result.status).toBe('failed');
    expect(result.output).toMatch(/^The arguments for "lookup_order" were not a valid JSON object \(.+\)\. Call it again with a JSON object/);
    expect((await catalog.call('lookup_order', '[1]', { callId: 'a-list' })).output).toContain('(got a list)');
  });

  it('passes on the error of a tool that throws', async () => {
    const result = await catalog.call('fail_always', '{}', { callId: 'throws' });
    expect(result.status).toBe('failed');
    expect(result.output).toBe('The tool "fail_always" reported an error: The order database is offline');
  });

  it('times out a slow tool with an output the model can read, and cancels it on the server', async () => {
    catalog.setSettings({ callTimeoutMs: 300 });
    const result = await catalog.call('slow_task', '{"seconds":30}', { callId: 'slow-1' });
    catalog.setSettings({ callTimeoutMs: 30_000 });
    expect(result.status).toBe('failed');
    expect(result.output).toBe('The tool "slow_task" did not answer within 0.3 seconds, so Parley stopped waiting. Tell the user it timed out.');
    await untilJournalHas(catalog, 'slow_task cancelled');
  });

  it('cancels a running call when its signal aborts, and the server hears of it', async () => {
    const before = (await journalOf(catalog, 'journal-before-cancel')).split('\n').filter((line) => line === 'slow_task cancelled').length;
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => catalog.onToolEvent((event) => event.callId === 'slow-2' && event.status === 'running' && resolve()));
    const pending = catalog.call('slow_task', '{"seconds":30}', { callId: 'slow-2', signal: controller.signal });
    await started;
    await untilJournalHas(catalog, 'slow_task started');
    controller.abort();
    const result = await pending;
    expect(result.status).toBe('cancelled');
    expect(eventsOf('slow-2').map((event) => event.status)).toEqual(['running', 'cancelled']);
    for (let attempt = 0; ; attempt++) {
      const count = (await journalOf(catalog, `journal-after-cancel-${attempt}`)).split('\n').filter((line) => line === 'slow_task cancelled').length;
      if (count > before) break;
      if (attempt > 100) throw new Error('the server never saw the cancellation');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('cuts a long result to the stated limit', async () => {
    const result = await catalog.call('big_text', `{"chars":${MAX_TOOL_OUTPUT_CHARS * 2}}`, { callId: 'big' });
    expect(result.status).toBe('done');
    expect(result.truncated).toBe(true);
    expect(result.output.startsWith('x'.repeat(MAX_TOOL_OUTPUT_CHARS) + '\n[Cut by Parley')).toBe(true);
  });

  it('describes a picture it cannot pass on', async () => {
    expect((await catalog.call('picture', '', { callId: 'picture' })).output).toBe('A red square.\n\n[image: image/png, 300 bytes, not shown]');
  });

  it('denies a tool that is not read-only when nobody can be asked', async () => {
    const result = await catalog.call('place_order', '{"item":"lamp"}', { callId: 'deny-1' });
    expect(result.status).toBe('denied');
    expect(result.output).toMatch(/^The user declined to let "place_order" run\./);
    expect(await journalOf(catalog, 'journal-deny')).not.toContain('place_order');
  });

  it('keeps configured secrets out of outputs and events', async () => {
    const result = await catalog.call('echo_env', `{"name":"ORDERS_TOKEN","note":"${SECRET}"}`, { callId: 'secret' });
    expect(result.output).toBe('ORDERS_TOKEN=[redacted]');
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(catalog.servers())).not.toContain(SECRET);
  });
});

describe('ToolCatalog approval', () => {
  it('asks for a tool that is not read-only: allow once, always allow, deny', async () => {
    const answers: ApprovalAnswer[] = ['allow-once', 'deny', 'always-allow'];
    const asked: ApprovalRequest[] = [];
    const remembered: string[] = [];
    const catalog = catalogWith(
      'read-only',
      async (request) => {
        asked.push(request);
        return answers.shift()!;
      },
      (key) => remembered.push(key),
    );
    await catalog.start();
    try {
      expect((await catalog.call('lookup_order', '{"order_id":"A"}', { callId: 'r' })).status).toBe('done');
      expect(asked).toHaveLength(0);
      expect((await catalog.call('place_order', '{"item":"lamp"}', { callId: 'p1' })).status).toBe('done');
      expect(asked[0]).toMatchObject({ callId: 'p1', name: 'place_order', server: 'orders', toolKey: 'orders/place_order', arguments: { item: 'lamp' } });
      expect((await catalog.call('place_order', '{"item":"desk"}', { callId: 'p2' })).status).toBe('denied');
      expect((await catalog.call('place_order', '{"item":"chair"}', { callId: 'p3' })).status).toBe('done');
      expect(remembered).toEqual(['orders/place_order']);
      expect((await catalog.call('place_order', '{"item":"rug"}', { callId: 'p4' })).status).toBe('done');
      expect(asked.map((request) => request.callId)).toEqual(['p1', 'p2', 'p3']);
      const journal = (await catalog.call('read_journal', '', { callId: 'j' })).output.split('\n');
      expect(journal.filter((line) => line.startsWith('place_order'))).toEqual(['place_order lamp', 'place_order chair', 'place_order rug']);
    } finally {
      await catalog.dispose();
    }
  });

  it('cancels a call whose approval is still open when the user interrupts', async () => {
    let cardClosed = false;
    const catalog = catalogWith('read-only', (request) => new Promise(() => request.signal.addEventListener('abort', () => (cardClosed = true))));
    await catalog.start();
    try {
      const controller = new AbortController();
      const pending = catalog.call('place_order', '{"item":"lamp"}', { callId: 'c', signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expect((await pending).status).toBe('cancelled');
      expect(cardClosed).toBe(true);
    } finally {
      await catalog.dispose();
    }
  });

  it('runs everything in mode "all" and nothing in mode "none" without someone to ask', async () => {
    const all = catalogWith('all');
    const none = catalogWith('none');
    await Promise.all([all.start(), none.start()]);
    try {
      expect((await all.call('place_order', '{"item":"lamp"}', { callId: 'a' })).status).toBe('done');
      expect((await none.call('lookup_order', '{"order_id":"A"}', { callId: 'b' })).status).toBe('denied');
      expect((await none.call('get_current_time', '', { callId: 'c' })).status).toBe('denied');
    } finally {
      await Promise.all([all.dispose(), none.dispose()]);
    }
  });
});
