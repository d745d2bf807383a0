import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../support/devices';
import { isRunning, processTree } from '../../support/process-tree';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';

/**
 * `npm run -s headless` as a user or a supervisor starts it: npm → sh → the CLI → the engine.
 * However the launch is ended, no process of it may outlive it by more than 5 s, holding the
 * microphone and the socket. Every test here waits for that with a generous bound (a liveness
 * bound, not a timing figure) and names what is left.
 */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
let server: RealtimeTestServer;
let launch: Launch | null = null;

beforeAll(async () => {
  server = await startRealtimeServer({ apiKey: 'test-key', replyText: 'Ok.' });
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  // A failed test must not leave its processes running for the next.
  for (const pid of launch?.tree ?? []) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  launch = null;
});

interface Launch {
  npm: ChildProcess;
  /** npm and everything it started, parents first, taken once the engine was up. */
  tree: number[];
  cli: number;
  engine: number;
}

/** Starts headless Parley through npm in its own process group, and waits until it is idle and connected. */
async function launchHeadless(): Promise<Launch> {
  const npm = spawn('npm', ['run', '-s', 'headless', '--', '--url', server.url, '--hotkey', 'F9'], {
    cwd: repoRoot,
    env: { ...process.env, OPENAI_API_KEY: 'test-key' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal gives it
  });
  let stderr = '';
  npm.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-3000)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      if (line.includes('"state":"idle"')) resolve();
    });
    npm.once('exit', (code) => reject(new Error(`npm run headless exited (${code}) before it was idle:\n${stderr}`)));
  });
  const tree = processTree(npm.pid!);
  const commandOf = (pid: number): string => readCommand(pid);
  const cli = tree.find((pid) => commandOf(pid).includes('headless/cli.mjs'));
  const engine = tree.find((pid) => commandOf(pid).includes('headless/engine-process.ts'));
  if (cli === undefined || engine === undefined) throw new Error(`no CLI or engine in ${tree.map(commandOf).join(' | ')}`);
  launch = { npm, tree, cli, engine };
  return launch;
}

function readCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Waits until none of `pids` runs, or the bound passes; returns those still running. */
async function survivorsAfter(pids: number[], boundMs: number): Promise<string[]> {
  const deadline = Date.now() + boundMs;
  while (pids.some(isRunning) && Date.now() < deadline) await sleep(100);
  return pids.filter(isRunning).map((pid) => `${pid} ${readCommand(pid)}`);
}

describe('headless Parley ends with whatever launched it', () => {
  it('ends every process when npm alone gets SIGTERM, as from a supervisor, and closes its socket', async () => {
    const { npm, tree } = await launchHeadless();
    expect(tree.length).toBeGreaterThanOrEqual(3);
    const connection = server.current()!;
    npm.kill('SIGTERM');
    // 5 s is the requirement; 10 s leaves room for a loaded machine without hiding an orphan, which would run forever.
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    expect(connection.isOpen).toBe(false);
  });

  it('ends the engine when the CLI above it is killed outright', async () => {
    const { cli, engine, tree } = await launchHeadless();
    const connection = server.current()!;
    process.kill(cli, 'SIGKILL');
    expect(await survivorsAfter([engine], 10_000)).toEqual([]);
    // And nothing else of the launch stays behind either.
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    expect(connection.isOpen).toBe(false);
  });

  it('ends every process on Ctrl+C, which the terminal sends to the whole group', async () => {
    const { npm, tree } = await launchHeadless();
    process.kill(-npm.pid!, 'SIGINT');
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
  });
});
