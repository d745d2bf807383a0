import { createWriteStream } from 'node:fs';
import type { EngineEvent } from '../../shared/engine-events';
import { listAudioDevices } from '../audio/audio-devices';
import { ParleyEngine } from '../session/parley-engine';
import { toUserFacingError } from '../user-facing-error';
import type { HeadlessCommand } from './headless-args';

/**
 * The headless engine, run by cli.ts as a child process. Events go out on file
 * descriptor 3 as JSON lines; stdout belongs to the native audio library's chatter.
 */
const command = JSON.parse(process.env.PARLEY_HEADLESS_COMMAND ?? '{}') as HeadlessCommand;
const events = createWriteStream('', { fd: 3 });
const log = (message: string): void => {
  process.stderr.write(`[parley] ${message}\n`);
};
const send = (event: EngineEvent | object): void => {
  events.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  if (command.kind === 'list-devices') {
    send({ type: 'devices', ...listAudioDevices() });
    events.end(() => process.exit(0));
    return;
  }
  if (command.kind !== 'run') throw new Error(`unexpected command ${command.kind}`);

  const engine = new ParleyEngine({ settings: command.settings, apiKey: process.env.OPENAI_API_KEY?.trim() || null, log });
  engine.onEvent(send);

  // Stay up until told to stop, even when nothing else is running (no device, no key): the
  // user reads the errors, fixes things and starts again; quitting by itself would look like a crash.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    log('stopping');
    const forced = setTimeout(() => process.exit(0), 4000);
    forced.unref();
    engine
      .dispose()
      .catch((error: unknown) => log(`dispose failed: ${String(error)}`))
      .finally(() => events.end(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A stray exception in a device or socket callback is reported, not fatal.
  process.on('uncaughtException', (error) => {
    log(`uncaught: ${error.stack ?? error.message}`);
    send(toUserFacingError(error).toEvent());
  });

  await engine.start();
  log(engine.state === 'error' ? 'started, with errors (see above)' : `started: hold ${command.settings.hotkey} to talk once connected`);
}

main().catch((error: unknown) => {
  send(toUserFacingError(error).toEvent());
  log(String(error));
  events.end(() => process.exit(1));
});
