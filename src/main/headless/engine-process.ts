import { createWriteStream } from 'node:fs';
import type { EngineEvent, ErrorEvent } from '../../shared/engine-events';
import { listAudioDevices } from '../audio/audio-devices';
import { setUpHistory } from '../history/history-setup';
import { ParleyLog } from '../logging/parley-log';
import { SecretRedactor } from '../secret-redactor';
import { ParleyEngine } from '../session/parley-engine';
import { setUpTools } from '../tools/tool-setup';
import { toUserFacingError } from '../user-facing-error';
import { HEADLESS_USAGE, parseHeadlessArgs } from './headless-args';

/**
 * The headless engine, run by cli.mjs as a child process. Events go out on file
 * descriptor 3 as JSON lines; stdout belongs to the native audio library's chatter.
 * stdin is a pipe from cli.mjs that nobody writes to: it closes when cli.mjs ends, however
 * it ends, and then the engine stops too.
 */
const command = parseHeadlessArgs(JSON.parse(process.env.PARLEY_HEADLESS_ARGS ?? '[]') as string[]);
/** Bad options: cli.mjs knows from this code that the engine has said why itself. */
const USAGE_EXIT_CODE = 2;
const events = createWriteStream('', { fd: 3 });
// Whoever read the events has gone (EPIPE): nobody can see Parley any more, so it stops.
events.on('error', () => stopEngine?.());
let stopEngine: (() => void) | undefined;
// Every line passes the redactor: no key or token may reach the terminal or the log file.
const redactor = new SecretRedactor({ credentialShapes: true });
const apiKey = process.env.OPENAI_API_KEY?.trim() || null;
redactor.setSecrets('api-key', [apiKey]);
const toStderr = (line: string): void => {
  process.stderr.write(`[parley] ${line}\n`);
};
const logFile = command.kind === 'run' && command.extras.logFile ? new ParleyLog({ path: command.extras.logFile, redactor, echo: toStderr }) : null;
const log = (message: string): void => {
  if (logFile) logFile.line(message);
  else toStderr(redactor.redact(message));
};
const send = (event: EngineEvent | object): void => {
  events.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  if (command.kind === 'help') {
    process.stderr.write(`${HEADLESS_USAGE}\n`);
    process.exit(0);
  }
  if (command.kind === 'invalid') {
    const event: ErrorEvent = { type: 'error', code: 'bad-settings', message: command.message };
    send(event);
    process.stderr.write(`${command.message}\n`);
    events.end(() => process.exit(USAGE_EXIT_CODE));
    return;
  }
  if (command.kind === 'list-devices') {
    send({ type: 'devices', ...(await listAudioDevices()) });
    events.end(() => process.exit(0));
    return;
  }

  const { settings, extras } = command;
  const tools = extras.tools && extras.allowTools !== 'none' ? await setUpTools({ mcpConfigPath: extras.mcpConfigPath, mode: extras.allowTools, log }) : null;
  if (tools) redactor.setSecrets('mcp', tools.secrets);
  const engine = new ParleyEngine({ settings, apiKey, log, tools: tools?.catalog ?? null });
  engine.onEvent(send);
  if (tools?.problem) send(tools.problem.toEvent());
  const history = setUpHistory({
    dataDir: extras.dataDir,
    keepHistory: extras.keepHistory,
    engine,
    onNotice: (message) => {
      log(`history: ${message}`);
      send({ type: 'notice', message });
    },
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    // cli.mjs kills us outright at 4 s; closing the devices cleanly should take far less.
    const forced = setTimeout(() => process.exit(0), 3000);
    forced.unref();
    engine
      .dispose()
      .then(() => history?.dispose())
      .then(() => tools?.catalog.dispose())
      .catch((error: unknown) => log(`dispose failed: ${String(error)}`))
      .finally(() => (events.writable ? events.end(() => process.exit(0)) : process.exit(0)));
  };
  stopEngine = stop;
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The lifeline: it also keeps the engine up until told to stop, even when nothing else runs (no
  // device, no key), so the user can read the errors; quitting by itself would look like a crash.
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  // A stray exception in a device or socket callback is reported, not fatal.
  process.on('uncaughtException', (error) => {
    log(`uncaught: ${error.stack ?? error.message}`);
    send(toUserFacingError(error).toEvent());
  });

  await engine.start();
  const how = settings.capture.talkMode === 'toggle' ? `tap ${settings.hotkey} to start talking, and again to send` : `hold ${settings.hotkey} to talk`;
  log(engine.state === 'error' ? 'started, with errors (see above)' : `started: ${how} once connected`);
}

main().catch((error: unknown) => {
  send(toUserFacingError(error).toEvent());
  log(String(error));
  events.end(() => process.exit(1));
});
