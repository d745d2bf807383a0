import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../../src/main/tools/mcp-server-config';
import { ToolApprovalPolicy } from '../../../src/main/tools/tool-approval-policy';
import { ToolCatalog, type ToolServerStatus } from '../../../src/main/tools/tool-catalog';
import { McpHttpTestServer } from '../../support/mcp-http-test-server';
import { testServerCommand } from '../../support/mcp-test-server-command';
import { ORDER_TEXT } from '../../support/mcp-test-tools';

// Server start, faults, restarts and shutdown, with real child processes and a real HTTP server.
const stdio = (name: string, ...flags: string[]): McpServerConfig => ({ name, transport: 'stdio', ...testServerCommand(...flags), env: {} });
const catalogs: ToolCatalog[] = [];
const logs: string[] = [];

function catalogOf(servers: McpServerConfig[], options: { startTimeoutMs?: number; restartDelaysMs?: number[] } = {}): ToolCatalog {
  const catalog = new ToolCatalog({ servers, policy: new ToolApprovalPolicy({ mode: 'all' }), log: (line) => logs.push(line), ...options });
  catalogs.push(catalog);
  return catalog;
}

const statusOf = (catalog: ToolCatalog, name: string): ToolServerStatus => catalog.servers().find((server) => server.name === name)!;

/** Our child processes whose command line has `flag`. */
function childrenWith(flag: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      return parent === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(flag) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting: ${what}`);
}

afterEach(async () => {
  await Promise.all(catalogs.splice(0).map((catalog) => catalog.dispose()));
  logs.length = 0;
});

describe('MCP server faults at start', () => {
  it('says which command was not found', async () => {
    const catalog = catalogOf([{ name: 'files', transport: 'stdio', command: 'parley-no-such-mcp-server', args: [], env: {} }]);
    await catalog.start();
    expect(statusOf(catalog, 'files')).toMatchObject({
      state: 'failed',
      reason: 'The tool server "files" could not start: the command "parley-no-such-mcp-server" was not found. Install it, or give its full path as "command" in the Tools settings.',
      tools: [],
    });
    expect(catalog.realtimeTools().map((tool) => tool.name)).toEqual(['get_current_time']);
  });

  it('shows the tail of stderr of a server that exits at start', async () => {
    const catalog = catalogOf([stdio('orders', '--exit-at-start')]);
    await catalog.start();
    expect(statusOf(catalog, 'orders').state).toBe('failed');
    expect(statusOf(catalog, 'orders').reason).toBe(
      'The tool server "orders" exited while starting. Its last output: "starting up / fatal: ORDERS_API_KEY is not set". Check its command, arguments and environment.',
    );
  });

  it('blanks configured secrets out of the stderr it quotes and logs', async () => {
    const catalog = catalogOf([{ ...stdio('orders', '--exit-at-start'), env: { ORDERS_API_KEY: 'sk-live-4242424242' } } as McpServerConfig]);
    await catalog.start();
    expect(statusOf(catalog, 'orders').reason).toContain('Its last output: "starting up / fatal: the key [redacted] was rejected"');
    expect(logs.join('\n')).toContain('[mcp orders] fatal: the key [redacted] was rejected');
    expect(logs.join('\n')).not.toContain('sk-live-4242424242');
  });

  it('gives up on a server that hangs in initialize, and ends it', async () => {
    const catalog = catalogOf([stdio('stuck', '--hang')], { startTimeoutMs: 2000 });
    const starting = catalog.start();
    await until(() => childrenWith('--hang').length === 1, 'the hung server to start');
    const pid = childrenWith('--hang')[0];
    await starting;
    expect(statusOf(catalog, 'stuck').reason).toMatch(/^The tool server "stuck" did not answer the MCP handshake within 2 seconds\. Check that ".+" starts an MCP server that talks over stdio\.$/);
    expect(pid).not.toBeNull();
    await until(() => !isAlive(pid!), 'the hung server to end');
  });

  it('says that a working folder does not exist', async () => {
    const catalog = catalogOf([{ ...stdio('orders'), cwd: '/no/such/folder' } as McpServerConfig]);
    await catalog.start();
    expect(statusOf(catalog, 'orders').reason).toBe('The tool server "orders" could not start: its working folder "/no/such/folder" does not exist; fix "cwd" in its settings.');
  });
});

describe('MCP server lifecycle', () => {
  it('finds the command on PATH and passes the whole inherited environment plus the configured env', async () => {
    process.env.PARLEY_TEST_INHERITED = 'from-parent';
    // "node", not an absolute path: found on PATH as other MCP hosts do.
    const catalog = catalogOf([{ ...stdio('orders'), command: 'node', env: { PARLEY_TEST_CONFIGURED: 'cfg' } } as McpServerConfig]);
    await catalog.start();
    delete process.env.PARLEY_TEST_INHERITED;
    expect((await catalog.call('echo_env', '{"name":"PARLEY_TEST_INHERITED"}', { callId: 'a' })).output).toBe('PARLEY_TEST_INHERITED=from-parent');
    expect((await catalog.call('echo_env', '{"name":"PARLEY_TEST_CONFIGURED"}', { callId: 'b' })).output).toBe('PARLEY_TEST_CONFIGURED=cfg');
  });

  it('restarts a crashed server with backoff, keeping its tools declared meanwhile', async () => {
    const catalog = catalogOf([stdio('orders')], { restartDelaysMs: [300, 300] });
    await catalog.start();
    const firstPid = statusOf(catalog, 'orders').pid!;
    let toolChanges = 0;
    catalog.onDidChangeTools(() => toolChanges++);
    const reasons: string[] = [];
    catalog.onDidChangeServers(() => reasons.push(statusOf(catalog, 'orders').reason ?? ''));
    const crashed = await catalog.call('crash', '', { callId: 'crash' });
    expect(crashed).toMatchObject({ status: 'failed', output: 'The tool "crash" failed: The tool server "orders" stopped during the call.' });
    await until(() => statusOf(catalog, 'orders').state === 'ready' && ![null, firstPid].includes(statusOf(catalog, 'orders').pid), 'the restart');
    expect(reasons).toContain('The tool server "orders" stopped unexpectedly; restarting it in 0.3 s. Its last output: "crashing on purpose".');
    expect(isAlive(firstPid)).toBe(false);
    expect(toolChanges).toBe(0);
    expect((await catalog.call('lookup_order', '{"order_id":"R-1"}', { callId: 'after' })).output).toBe(ORDER_TEXT('R-1'));
  });

  it('gives up after the last backoff step and says so', async () => {
    const catalog = catalogOf([stdio('orders')], { restartDelaysMs: [100] });
    await catalog.start();
    await catalog.call('crash', '', { callId: 'crash-1' });
    await until(() => statusOf(catalog, 'orders').state === 'ready', 'the first restart');
    await catalog.call('crash', '', { callId: 'crash-2' });
    await until(() => statusOf(catalog, 'orders').state === 'failed', 'giving up');
    expect(statusOf(catalog, 'orders').reason).toMatch(/^The tool server "orders" stopped 2 times in a row, so Parley gave up restarting it\./);
    expect(catalog.realtimeTools().map((tool) => tool.name)).toEqual(['get_current_time']);
  });

  it('re-declares the tools when the server says its list changed', async () => {
    const catalog = catalogOf([stdio('orders')]);
    await catalog.start();
    let changes = 0;
    catalog.onDidChangeTools(() => changes++);
    await catalog.call('add_tool', '', { callId: 'add' });
    await until(() => catalog.realtimeTools().some((tool) => tool.name === 'fresh_tool'), 'fresh_tool to be declared');
    expect(changes).toBe(1);
    expect((await catalog.call('fresh_tool', '', { callId: 'fresh' })).output).toBe('fresh');
  });

  it('switches servers and tools off and on', async () => {
    const catalog = catalogOf([stdio('orders')]);
    await catalog.start();
    let changes = 0;
    catalog.onDidChangeTools(() => changes++);
    catalog.setSettings({ disabledTools: ['orders/place_order', 'parley/get_current_time'] });
    expect(catalog.realtimeTools().map((tool) => tool.name)).not.toContain('place_order');
    expect(catalog.realtimeTools().map((tool) => tool.name)).not.toContain('get_current_time');
    expect((await catalog.call('place_order', '{"item":"x"}', { callId: 'off' })).output).toMatch(/^There is no tool named "place_order"/);
    const pid = statusOf(catalog, 'orders').pid!;
    catalog.setSettings({ disabledServers: ['orders'] });
    await until(() => !isAlive(pid), 'the switched-off server to end');
    expect(catalog.realtimeTools()).toEqual([]);
    catalog.setSettings({ disabledServers: [], disabledTools: [] });
    await until(() => statusOf(catalog, 'orders').state === 'ready', 'the server to start again');
    expect(catalog.realtimeTools().map((tool) => tool.name)).toContain('place_order');
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('applies a new configuration, restarting only the servers that changed', async () => {
    const catalog = catalogOf([stdio('one'), stdio('two'), stdio('three')]);
    await catalog.start();
    const before = Object.fromEntries(catalog.servers().map((server) => [server.name, server.pid]));
    await catalog.setServers([stdio('one'), stdio('two', '--name', 'changed')]);
    const after = Object.fromEntries(catalog.servers().map((server) => [server.name, server.pid]));
    expect(Object.keys(after)).toEqual(['parley', 'one', 'two']);
    expect(after.one).toBe(before.one);
    expect(after.two).not.toBe(before.two);
    expect(isAlive(before.two!)).toBe(false);
    expect(isAlive(before.three!)).toBe(false);
    expect(catalog.servers().every((server) => server.state === 'ready')).toBe(true);
  });

  it('leaves no server process running after dispose', async () => {
    const catalog = catalogOf([stdio('one'), stdio('two', '--name', 'two')]);
    await catalog.start();
    const pids = catalog.servers().flatMap((server) => (server.pid === null ? [] : [server.pid]));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    await catalog.dispose();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});

describe('MCP over Streamable HTTP', () => {
  let http: McpHttpTestServer | undefined;
  afterEach(async () => {
    await http?.close();
    http = undefined;
  });

  it('sends the configured headers, and prefixes tool names that collide with another server', async () => {
    http = await McpHttpTestServer.start('token-for-tests-123');
    const catalog = catalogOf([stdio('orders'), { name: 'web', transport: 'http', url: http.url, headers: { Authorization: 'Bearer token-for-tests-123' } }]);
    await catalog.start();
    expect(statusOf(catalog, 'web').state).toBe('ready');
    const names = catalog.realtimeTools().map((tool) => tool.name);
    expect(names).toContain('orders_lookup_order');
    expect(names).toContain('web_lookup_order');
    expect(names).toContain('get_current_time');
    const result = await catalog.call('web_lookup_order', '{"order_id":"H-2"}', { callId: 'h' });
    expect(result).toMatchObject({ status: 'done', server: 'web', output: ORDER_TEXT('H-2') });
    expect(http.journal).toEqual(['lookup_order H-2']);
    await http.close();
    http = undefined;
    const unreachable = await catalog.call('web_lookup_order', '{"order_id":"H-3"}', { callId: 'gone' });
    expect(unreachable.status).toBe('failed');
    expect(unreachable.output).toMatch(/^The tool "web_lookup_order" failed: The tool server "web" could not be reached \((connection refused|the connection was closed)\)\. Parley will reconnect to it\.$/);
  });

  it('starts a new session, unseen, when the server restarted and forgot the old one', async () => {
    http = await McpHttpTestServer.start('token-for-tests-123', { stateful: true });
    const catalog = catalogOf([{ name: 'web', transport: 'http', url: http.url, headers: { Authorization: 'Bearer token-for-tests-123' } }]);
    await catalog.start();
    expect(await catalog.call('lookup_order', '{"order_id":"S-1"}', { callId: 's1' })).toMatchObject({ status: 'done', output: ORDER_TEXT('S-1') });
    const port = http.port;
    await http.close();
    // A restart takes a moment, in which the client sees its kept-alive sockets close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    http = await McpHttpTestServer.start('token-for-tests-123', { stateful: true, port });
    expect(await catalog.call('lookup_order', '{"order_id":"S-2"}', { callId: 's2' })).toMatchObject({ status: 'done', output: ORDER_TEXT('S-2') });
    expect(http.journal).toEqual(['lookup_order S-2']);
    expect(logs.some((line) => line.includes('session lost (HTTP 404)'))).toBe(true);
    expect(statusOf(catalog, 'web').state).toBe('ready');
  });

  it('reconnects with backoff to a server that was unreachable, once it is back', async () => {
    http = await McpHttpTestServer.start('token-for-tests-123', { stateful: true });
    const catalog = catalogOf([{ name: 'web', transport: 'http', url: http.url, headers: { Authorization: 'Bearer token-for-tests-123' } }], { restartDelaysMs: [100, 200, 400, 800, 1600] });
    await catalog.start();
    const port = http.port;
    await http.close();
    http = undefined;
    const failed = await catalog.call('lookup_order', '{"order_id":"D-1"}', { callId: 'd1' });
    expect(failed.output).toMatch(/could not be reached .* Parley will reconnect to it\.$/);
    expect(statusOf(catalog, 'web').state).not.toBe('ready');
    http = await McpHttpTestServer.start('token-for-tests-123', { stateful: true, port });
    await until(() => statusOf(catalog, 'web').state === 'ready', 'the server is ready again');
    expect(await catalog.call('lookup_order', '{"order_id":"D-2"}', { callId: 'd2' })).toMatchObject({ status: 'done', output: ORDER_TEXT('D-2') });
  });

  it('says the token was refused, without showing it', async () => {
    http = await McpHttpTestServer.start('the-right-token');
    const catalog = catalogOf([{ name: 'web', transport: 'http', url: http.url, headers: { Authorization: 'Bearer the-wrong-token' } }]);
    await catalog.start();
    expect(http.rejectedRequests).toBeGreaterThan(0);
    expect(statusOf(catalog, 'web')).toMatchObject({ state: 'failed', reason: 'The tool server "web" refused Parley (HTTP 401). Check the token in its "headers".' });
    expect(JSON.stringify(catalog.servers()) + logs.join('\n')).not.toContain('the-wrong-token');
  });
});
