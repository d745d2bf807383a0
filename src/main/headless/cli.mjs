// @ts-check
import { spawn } from 'node:child_process';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

/**
 * `npm run -s headless -- …`: the engine without a window.
 *
 * stdout carries nothing but JSON lines. The engine itself runs in a child process because
 * the native audio library prints its own diagnostics straight to file descriptor 1: the
 * child's stdout is sent to our stderr, and its events go straight to our stdout on fd 3.
 *
 * This process only starts the engine, passes signals on and waits, for as long as Parley
 * runs. So it is plain JavaScript with nothing but Node built-ins: under tsx it would carry a
 * loader thread, a second V8 heap and their garbage collections (measured with `npm run bench`:
 * 0.6–0.9 % of a core in its first minute, against ~0.1 % like this). The engine, which parses
 * the options, runs TypeScript through tsx.
 */
const args = process.argv.slice(2);
const engineScript = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
// The device list is relayed and counted (see 'close' below); everything else goes straight out.
const relayEvents = args.includes('--list-devices');
const child = spawn(process.execPath, [...process.execArgv, '--import', import.meta.resolve('tsx'), engineScript], {
  // stdin: the engine's lifeline. Nothing is ever written to it; when this process ends, however
  // it ends (even SIGKILL), the kernel closes it and the engine stops.
  // stdout: the native chatter, to our stderr. fd 3: the events, given our own stdout by number
  // (its stream object is never created here, so it stays a blocking fd).
  stdio: ['pipe', 2, 'inherit', relayEvents ? 'pipe' : 1],
  // Each open audio stream holds a libuv thread-pool thread for as long as it is open (its reads
  // and writes block there); the default four would leave too few for sockets and files.
  env: { UV_THREADPOOL_SIZE: '8', ...process.env, PARLEY_HEADLESS_ARGS: JSON.stringify(args) },
});

let printedLines = 0;
const events = child.stdio[3];
if (relayEvents && events && 'on' in events) {
  createInterface({ input: /** @type {NodeJS.ReadableStream} */ (events) }).on('line', (line) => {
    if (!line.trim()) return;
    printedLines++;
    process.stdout.write(`${line}\n`);
  });
}

let stopping = false;
/** @param {NodeJS.Signals} signal */
function stop(signal) {
  if (stopping) return;
  stopping = true;
  // The terminal may already have sent the signal to the child too; a second one is harmless.
  child.kill(signal);
  // The engine gives itself 3 s to close its devices; with the parent watch's 0.5 s, everything
  // is gone within 5 s of whatever ended our parent.
  setTimeout(() => child.kill('SIGKILL'), 4000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGHUP', () => stop('SIGTERM'));
watchParent(() => stop('SIGTERM'));

/** The engine's exit code for bad options or --help: it has said so itself. */
const USAGE_EXIT_CODE = 2;

// 'close', not 'exit': it comes after the event pipe is drained, so no last line is lost.
child.on('close', (code, signal) => {
  // The device list is done once printed. (Without an X display, the key-hook addon makes
  // the child's exit code non-zero even when all went well.)
  if (relayEvents && printedLines > 0) process.exit(0);
  if (!stopping && code !== 0 && code !== USAGE_EXIT_CODE) {
    const event = {
      type: 'error',
      code: 'internal',
      message: `Parley's audio engine stopped unexpectedly (${signal ?? `exit code ${code}`}). Start it again; if it keeps happening, try another audio device.`,
    };
    process.stdout.write(`${JSON.stringify(event)}\n`);
  }
  process.exit(stopping ? 0 : (code ?? 1));
});

/**
 * `npm run` starts us through `sh -c`. A SIGTERM to npm alone reaches only that shell, which dies
 * without passing it on, and npm killed outright passes nothing at all: either way we are left
 * orphaned, still holding the microphone and the socket. No signal says so, but our parent pid
 * changes (we are handed to init or a subreaper), so look twice a second.
 * @param {() => void} onOrphaned
 */
function watchParent(onOrphaned) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, 500);
  timer.unref();
}
