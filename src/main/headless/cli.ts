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
const child = spawn(process.execPath, [...process.execArgv, childScript], {
  stdio: ['ignore', process.stderr, 'inherit', 'pipe'],
  // Each open audio stream holds a libuv thread-pool thread for as long as it is open (its reads
  // and writes block there); the default four would leave too few for sockets and files.
  env: { UV_THREADPOOL_SIZE: '8', ...process.env, PARLEY_HEADLESS_COMMAND: JSON.stringify(command) },
});

let printedLines = 0;
const events = child.stdio[3];
if (events && 'on' in events) {
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
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

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
