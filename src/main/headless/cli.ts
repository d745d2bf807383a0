import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ErrorEvent } from '../../shared/engine-events';
import { HEADLESS_USAGE, parseHeadlessArgs } from './headless-args';

/**
 * `npm run -s headless -- …`: the engine without a window.
 *
 * stdout carries nothing but JSON lines. The engine itself runs in a child process because
 * the native audio library prints its own diagnostics straight to file descriptor 1; the
 * child's stdout is sent to our stderr, and its events come to us on a separate pipe.
 */
const command = parseHeadlessArgs(process.argv.slice(2));

function printEvent(event: object): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

if (command.kind === 'help') {
  process.stderr.write(`${HEADLESS_USAGE}\n`);
  process.exit(0);
}
if (command.kind === 'invalid') {
  const event: ErrorEvent = { type: 'error', code: 'bad-settings', message: command.message };
  printEvent(event);
  process.stderr.write(`${command.message}\n`);
  process.exit(2);
}

const childScript = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
// The device list is relayed and counted (see 'close' below); a running engine writes its events
// straight to our stdout, so this process has nothing to do while Parley is idle.
const relayEvents = command.kind === 'list-devices';
const child = spawn(process.execPath, [...process.execArgv, childScript], {
  // stdin: the engine's lifeline. Nothing is ever written to it; when this process ends, however
  // it ends (even SIGKILL), the kernel closes it and the engine stops.
  // stdout: the native audio library's chatter, sent to our stderr. fd 3: the events, given our
  // own stdout by number (its stream object is never created here, so it stays a blocking fd).
  stdio: ['pipe', 2, 'inherit', relayEvents ? 'pipe' : 1],
  // Each open audio stream holds a libuv thread-pool thread for as long as it is open (its reads
  // and writes block there); the default four would leave too few for sockets and files.
  env: { UV_THREADPOOL_SIZE: '8', ...process.env, PARLEY_HEADLESS_COMMAND: JSON.stringify(command) },
});

let printedLines = 0;
const events = child.stdio[3];
if (relayEvents && events && 'on' in events) {
  createInterface({ input: events as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.trim()) return;
    printedLines++;
    process.stdout.write(`${line}\n`);
  });
}

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  // The terminal may already have sent the signal to the child too; a second one is harmless.
  child.kill(signal);
  // The engine gives itself 3.5 s to close its devices; everything must be gone within 5 s.
  setTimeout(() => child.kill('SIGKILL'), 4500).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGHUP', () => stop('SIGTERM'));
watchParent(() => stop('SIGTERM'));

// 'close', not 'exit': it comes after the event pipe is drained, so no last line is lost.
child.on('close', (code, signal) => {
  // The device list is done once printed. (Without an X display, the key-hook addon makes
  // the child's exit code non-zero even when all went well.)
  if (command.kind === 'list-devices' && printedLines > 0) process.exit(0);
  if (!stopping && code !== 0) {
    const event: ErrorEvent = {
      type: 'error',
      code: 'internal',
      message: `Parley's audio engine stopped unexpectedly (${signal ?? `exit code ${code}`}). Start it again; if it keeps happening, try another audio device.`,
    };
    printEvent(event);
  }
  process.exit(stopping ? 0 : (code ?? 1));
});

/**
 * `npm run` starts us through `sh -c`. A SIGTERM to npm alone reaches only that shell, which dies
 * without passing it on, and npm killed outright passes nothing at all: either way we are left
 * orphaned, still holding the microphone and the socket. No signal says so, but our parent pid
 * changes (we are handed to init or a subreaper), so look once a second.
 */
function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, 1000);
  timer.unref();
}
