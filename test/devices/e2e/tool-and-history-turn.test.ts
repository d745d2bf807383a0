import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rms } from '../../support/audio-compare';
import { keyDown, keyUp, sleep, speakIntoMic, SpeakerRecording } from '../../support/devices';
import { HeadlessProcess } from '../../support/headless-process';
import { ORDER_TEXT } from '../../support/mcp-test-tools';
import { testServerCommand } from '../../support/mcp-test-server-command';
import { isRunning, processTree } from '../../support/process-tree';
import { startRealtimeServer, voiceLikeReply, type RealtimeTestServer } from '../../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../../support/speech';

/**
 * A spoken question that needs a tool, through real parts: headless Parley as a user runs it
 * with `--mcp-config` and `--data-dir`, a real MCP server over stdio, the loopback Realtime
 * server calling the tool the way the service does, the virtual mic and speaker, and a real key.
 * Then the history: everything is SIGKILLed mid-reply, Parley starts again on the same folder,
 * and `npm run -s history -- export` reads it all back, the cut-off reply marked incomplete.
 */
const run = promisify(execFile);
const HOTKEY = 'F9';
const dataDir = mkdtempSync(join(tmpdir(), 'parley-data-'));
const mcpConfig = join(dataDir, 'mcp.json');
let server: RealtimeTestServer;
let parley: HeadlessProcess;
let question: SpeechClip;

function startParley(): HeadlessProcess {
  return new HeadlessProcess(['--url', server.url, '--hotkey', HOTKEY, '--mcp-config', mcpConfig, '--data-dir', dataDir], { OPENAI_API_KEY: 'test-key' });
}

async function history(...args: string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', '-s', 'history', '--', ...args, '--data-dir', dataDir], { cwd: join(import.meta.dirname, '../../..') });
  return stdout;
}

beforeAll(async () => {
  const { command, args } = testServerCommand();
  writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { orders: { command, args, env: { ORDERS_TOKEN: 'tok-secret-123456' } } } }));
  question = makeSpeech('Where is my order A seven seven three one?');
  server = await startRealtimeServer({
    apiKey: 'test-key',
    functionCall: { name: 'lookup_order', arguments: '{"order_id":"A-7731"}' },
    replyAudio: voiceLikeReply(6),
    paceAudio: true,
    replyText: 'Your two desk lamps shipped on Tuesday and arrive on Friday, so keep an eye out for them at the end of the week.',
    userTranscript: () => 'Where is my order A-7731?',
  });
  parley = startParley();
  await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
  await sleep(1000);
});

afterAll(async () => {
  await parley?.stop();
  await server?.close();
});

describe('a spoken question that needs a tool, and the history that keeps it', () => {
  it('runs the MCP tool with the right arguments, sends its text under the call id, speaks the answer, and reports the tool', async () => {
    const start = parley.events.length;
    const speaker = new SpeakerRecording();
    await keyDown(HOTKEY);
    await speakIntoMic(question.wavPath);
    await keyUp(HOTKEY);
    const done = await parley.waitFor((e) => e.type === 'tool' && e.status === 'done', 30_000, start);
    expect(done.event).toMatchObject({ name: 'lookup_order', server: 'orders', arguments: { order_id: 'A-7731' } });
    expect(String(done.event.result)).toContain(ORDER_TEXT('A-7731'));
    const running = parley.events.findIndex((e, i) => i >= start && e.type === 'tool' && e.status === 'running');
    expect(running).toBeGreaterThan(-1);
    expect(running).toBeLessThan(done.index);

    const output = await server.waitFor((e) => e.type === 'conversation.item.create' && (e.item as { type: string }).type === 'function_call_output', 10_000);
    const call = server.clientEvents.find((e) => e.type === 'conversation.item.create' && (e.item as { type: string }).type === 'function_call_output');
    expect((output.item as { output: string }).output).toContain(ORDER_TEXT('A-7731'));
    expect((call!.item as { call_id: string }).call_id).toBe(done.event.callId);
    // The answer plays, and its words come after the tool's final status.
    await parley.waitFor((e) => e.type === 'state' && e.state === 'speaking', 30_000, done.index);
    const answer = await parley.waitFor((e) => e.type === 'transcript' && e.role === 'assistant', 30_000, start);
    expect(answer.index).toBeGreaterThan(done.index);
    expect(parley.states(start)).toContain('using-tool');
    await sleep(1500);
    expect(rms(speaker.samples())).toBeGreaterThan(100);
    await speaker.stop();
    // No token from the MCP configuration ever reaches the output or the log.
    expect(JSON.stringify(parley.events)).not.toContain('tok-secret-123456');
    expect(parley.stderr).not.toContain('tok-secret-123456');
  });

  it('keeps the conversation through a SIGKILL of every process mid-reply: the cut-off reply is exported as incomplete', async () => {
    await parley.waitFor((e) => e.type === 'state' && e.state === 'idle', 30_000, parley.events.length - 1);
    const start = parley.events.length;
    await keyDown(HOTKEY);
    await speakIntoMic(question.wavPath);
    await keyUp(HOTKEY);
    await parley.waitFor((e) => e.type === 'state' && e.state === 'speaking', 30_000, start);
    await sleep(2500); // more than a second of a streaming reply: it was written at least once
    const tree = processTree(parley.pid);
    for (const pid of tree) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && tree.some(isRunning); i++) await sleep(50);

    parley = startParley();
    await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
    const conversations = (await history('list')).trim().split('\n').map((line) => JSON.parse(line) as { id: number });
    expect(conversations.length).toBeGreaterThan(0);
    const exported = JSON.parse(await history('export', String(conversations[0]!.id), '--format', 'json')) as {
      lines: Array<{ role: string; text: string; status: string }>;
    };
    const roles = exported.lines.map((line) => line.role);
    expect(roles).toContain('tool');
    const replies = exported.lines.filter((line) => line.role === 'assistant');
    expect(replies.at(-1)).toMatchObject({ status: 'incomplete' });
    expect(replies.slice(0, -1).every((line) => line.status === 'final')).toBe(true);
    expect(exported.lines.filter((line) => line.role === 'user').length).toBeGreaterThanOrEqual(2);
  });
});
