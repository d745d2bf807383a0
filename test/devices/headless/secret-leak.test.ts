import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyDown, keyUp, sleep, speakIntoMic } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { testServerCommand } from '../../support/mcp-test-server-command';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';
import { makeSpeech } from '../../support/speech';

/**
 * Known secrets sent through every path Parley has for them: the API key from the environment
 * (in the socket's Authorization header), an MCP server's token in its `env` (which the tool the
 * model calls then prints into its result), and a bearer token in an HTTP MCP server's `headers`
 * (a server that cannot be reached, so its failure is logged). Then the log files, stdout and
 * stderr are searched for each of them. PARLEY_TEST_SECRET_KEY picks the key.
 */
const KEY = process.env.PARLEY_TEST_SECRET_KEY ?? 'sk-proj-KnownSecret-8f3a9c27e1d4';
const MCP_TOKEN = 'mcp-token-5b7e2d91c3';
const HEADER_TOKEN = 'hdr-token-0c4f8a6e2b';
const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
const logFile = join(dir, 'logs', 'parley.log');
let server: RealtimeTestServer;
let parley: HeadlessProcess;

beforeAll(async () => {
  const { command, args } = testServerCommand();
  writeFileSync(
    join(dir, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        orders: { command, args, env: { ORDERS_TOKEN: MCP_TOKEN } },
        // Nothing listens here: its failure, with its headers, goes through the log too.
        tracker: { url: 'http://127.0.0.1:9/mcp', headers: { Authorization: `Bearer ${HEADER_TOKEN}` } },
      },
    }),
  );
  // The model calls a tool that prints the MCP token into its result.
  server = await startRealtimeServer({ apiKey: KEY, functionCall: { name: 'echo_env', arguments: '{"name":"ORDERS_TOKEN"}' } });
  parley = new HeadlessProcess(['--url', server.url, '--mcp-config', join(dir, 'mcp.json'), '--log-file', logFile, '--data-dir', dir], { OPENAI_API_KEY: KEY });
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  await sleep(1000);
});

afterAll(async () => {
  await parley?.stop();
  await server?.close();
});

describe('secrets never reach a log', () => {
  it('the API key, MCP env tokens and header tokens are in no log file, no event and no stderr line', async () => {
    await keyDown('F9');
    await speakIntoMic(makeSpeech('What is my token?').wavPath);
    await keyUp('F9');
    const done = await parley.waitFor((event) => event.type === 'tool' && event.status === 'done', 30_000);
    expect(String(done.event.result)).toMatch(/^ORDERS_TOKEN=/);
    await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 30_000, done.index);
    await parley.stop();
    const logs = readdirSync(join(dir, 'logs')).map((file) => readFileSync(join(dir, 'logs', file), 'utf8'));
    expect(logs.join('').length).toBeGreaterThan(0);
    expect(logs.join('')).toContain('realtime');
    for (const secret of [KEY, MCP_TOKEN, HEADER_TOKEN]) {
      for (const text of [...logs, parley.stderr, JSON.stringify(parley.events)]) expect(text).not.toContain(secret);
    }
  });
});
