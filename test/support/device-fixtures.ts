import type { TestProject } from 'vitest/node';
import { startPulseServer } from './pulse-server';
import { startXvfb } from './xvfb';

/**
 * The real parts that the device and browser projects need, started once per project (and
 * only when one of its tests is queued): a private PulseAudio server (virtual mic and
 * speaker) and an Xvfb display (real key events). Each project gets its own, so the two
 * projects' tests never play into each other's microphone. The unit project needs neither.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pulseServer: string;
    display: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const pulse = await startPulseServer();
  const display = await startXvfb();
  project.provide('pulseServer', pulse.serverAddress);
  project.provide('display', display.display);
  return () => {
    pulse.stop();
    display.stop();
  };
}
