import type { TestProject } from 'vitest/node';
import { startPulseServer, type PulseServer } from './pulse-server';
import { startXvfb, type VirtualDisplay } from './xvfb';

/**
 * Starts the real parts the device tests need, once per run: a private PulseAudio server
 * (virtual mic and speaker) and an Xvfb display (real key events). Their addresses reach the
 * test workers through the environment, which naudiodon's ALSA pulse plugin and uiohook read.
 */
let pulse: PulseServer | undefined;
let display: VirtualDisplay | undefined;

export async function setup(_project: TestProject): Promise<void> {
  pulse = await startPulseServer();
  process.env.PULSE_SERVER = pulse.serverAddress;
  display = await startXvfb();
  process.env.DISPLAY = display.display;
}

export function teardown(): void {
  pulse?.stop();
  display?.stop();
}
