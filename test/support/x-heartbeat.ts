import { createConnection, type Socket } from 'node:net';

/**
 * Keeps an otherwise idle Xvfb flushing its output, as a real desktop does.
 *
 * uiohook reads keys through the X RECORD extension, and the X server hands recorded events
 * to the recording client only when it flushes output to some client. On a desktop that
 * happens constantly (the focused window receives the very same key events); on a bare Xvfb
 * nobody is listening, so a held key's events sit in the server until the next client
 * connects, which made the key-down arrive together with the key-up. This tiny X client
 * asks the server a trivial question (GetInputFocus) every 20 ms, like any desktop app.
 */
export class XHeartbeat {
  private readonly socket: Socket;
  private timer: NodeJS.Timeout | undefined;

  constructor(display: string, intervalMs = 20) {
    const number = display.replace(/^:/, '').split('.')[0];
    this.socket = createConnection(`/tmp/.X11-unix/X${number}`);
    this.socket.on('error', () => this.stop());
    this.socket.on('data', () => undefined); // replies are not needed, only the flushes they cause
    // Connection setup: little-endian, protocol 11.0, no authorisation (Xvfb started without -auth).
    const setup = Buffer.alloc(12);
    setup.write('l', 0, 'latin1');
    setup.writeUInt16LE(11, 2);
    this.socket.write(setup);
    const getInputFocus = Buffer.from([43, 0, 1, 0]);
    this.timer = setInterval(() => this.socket.write(getInputFocus), intervalMs);
    this.timer.unref();
    this.socket.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}
