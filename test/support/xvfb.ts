import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { XHeartbeat } from './x-heartbeat';

/** A virtual X display, so uiohook-napi sees real key events that `xdotool` sends. */
export interface VirtualDisplay {
  display: string;
  stop(): void;
}

export async function startXvfb(): Promise<VirtualDisplay> {
  for (let number = 90 + (process.pid % 50); number < 200; number++) {
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const display = `:${number}`;
    const server: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!existsSync(`/tmp/.X11-unix/X${number}`)) {
      if (server.exitCode !== null) break;
      if (Date.now() > deadline) throw new Error('Xvfb did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (server.exitCode !== null) continue;
    const heartbeat = new XHeartbeat(display);
    return {
      display,
      stop: () => {
        heartbeat.stop();
        server.kill('SIGTERM');
      },
    };
  }
  throw new Error('No free X display number for Xvfb');
}
