import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { createRequire } from 'node:module';
import { UserFacingError, type MessageText } from '../user-facing-error';

export interface KeyboardHookProbeOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Node, or Electron run as Node (ELECTRON_RUN_AS_NODE is set for the child). */
  execPath?: string;
  /** Where uiohook-napi lives; by default resolved from this file. */
  modulePath?: string;
  timeoutMs?: number;
}

/**
 * Checks that uiohook can start, in a throwaway child process. uiohook-napi 1.5 does not
 * report a failed start as an exception: on a missing X display it aborts the process (a
 * mutex is unlocked by the wrong thread), or can hang. So the first start is tried where a
 * crash costs nothing, and its failure becomes a sentence the user can act on.
 * Takes about 150 ms; the shared hook runs it once per process.
 */
export async function probeKeyboardHook(options: KeyboardHookProbeOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (platform === 'linux' && !env.DISPLAY) throw hotkeyUnavailable(platform, env, 'DISPLAY is not set');
  // uiohook aborts on an unreachable display, or now and then hangs instead: ask the X server first.
  if (platform === 'linux' && (await localXServerAnswers(env.DISPLAY!)) === false) {
    throw hotkeyUnavailable(platform, env, `no X server answers at ${env.DISPLAY}`);
  }

  const modulePath = options.modulePath ?? createRequire(import.meta.url).resolve('uiohook-napi');
  const script = `const { uIOhook } = require(${JSON.stringify(modulePath)}); uIOhook.start(); uIOhook.stop(); process.exit(0);`;
  const child = spawn(options.execPath ?? process.execPath, ['-e', script], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });

  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; spawnError?: Error }>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, signal: 'SIGKILL', timedOut: true });
    }, options.timeoutMs ?? 5000);
    child.once('error', (spawnError) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut: false, spawnError });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut: false });
    });
  });
  if (outcome.code === 0) return;

  const detail = outcome.spawnError
    ? `could not run the check: ${outcome.spawnError.message}`
    : outcome.timedOut
      ? 'the keyboard hook did not start within a few seconds'
      : lastLine(stderr) || `the keyboard hook stopped with ${outcome.signal ?? `exit code ${String(outcome.code)}`}`;
  throw hotkeyUnavailable(platform, env, detail);
}

/**
 * Whether an X server listens for a local display such as `:0` or `unix:1.0`, on its socket
 * in /tmp/.X11-unix or the same name in Linux's abstract namespace (where a sandbox may hide
 * the file). `undefined` for a remote display, which only XOpenDisplay itself can judge.
 */
async function localXServerAnswers(display: string): Promise<boolean | undefined> {
  const local = /^(?:unix)?:(\d+)(?:\.\d+)?$/.exec(display);
  if (!local) return undefined;
  const path = `/tmp/.X11-unix/X${local[1]}`;
  let answer: boolean | undefined = false;
  for (const address of [path, `\0${path}`]) {
    const result = await socketAccepts(address);
    if (result === true) return true;
    if (result === undefined) answer = undefined;
  }
  return answer;
}

/** true: it accepted; false: nobody listens there; undefined: no answer in time (a busy start-up), so ask uiohook. */
function socketAccepts(path: string): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    const done = (answer: boolean | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => done(undefined));
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? false : undefined));
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/** What to do when the global hotkey cannot work, in the words each platform uses. */
export function hotkeyUnavailable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, detail: string): UserFacingError {
  let message: string;
  let text: MessageText;
  if (platform === 'linux' && !env.DISPLAY && env.WAYLAND_DISPLAY) {
    text = { key: 'errors.hotkey.wayland' };
    message =
      'Parley cannot listen for the hotkey: this Wayland session has no X display for it to use. ' +
      'Enable XWayland or log in to an X11 session, then restart Parley.';
  } else if (platform === 'linux' && !env.DISPLAY) {
    text = { key: 'errors.hotkey.noDisplay' };
    message =
      'Parley cannot listen for the hotkey because there is no graphical display (DISPLAY is not set). ' +
      'Start Parley from your desktop session, then try again.';
  } else if (platform === 'linux') {
    text = { key: 'errors.hotkey.xDisplay', params: { display: env.DISPLAY ?? '', detail } };
    message =
      `Parley cannot listen for the hotkey on display ${env.DISPLAY ?? ''} (${detail}). ` +
      'Check that the X server is running and lets this user connect, then restart Parley.';
  } else if (platform === 'darwin') {
    text = { key: 'errors.hotkey.macPermission' };
    message =
      'Parley needs permission to hear the hotkey while other apps are in front. ' +
      'Open System Settings › Privacy & Security › Accessibility (and Input Monitoring), turn on Parley, then restart Parley.';
  } else {
    text = { key: 'errors.hotkey.other', params: { detail } };
    message = `Parley could not start listening for the hotkey (${detail}). Restart Parley; if it keeps happening, restart your computer.`;
  }
  return new UserFacingError('hotkey-unavailable', message, { action: 'retry', cause: new Error(detail), text });
}
