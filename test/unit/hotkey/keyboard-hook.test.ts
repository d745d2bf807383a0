import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { EventEmitter } from 'node:events';
import { uIOhook } from 'uiohook-napi';
import { describe, expect, it } from 'vitest';
import { probeKeyboardHook } from '../../../src/main/hotkey/keyboard-hook-probe';
import { SharedKeyboardHook, type KeyboardHook } from '../../../src/main/hotkey/keyboard-hook';
import { UserFacingError } from '../../../src/main/user-facing-error';

// Counting the native starts and stops needs a stand-in: the real uiohook is one per process
// and keeps no count. test/devices/hotkey checks the real one end to end.
class CountingHook extends EventEmitter implements KeyboardHook {
  calls: string[] = [];
  start(): void {
    this.calls.push('start');
  }
  stop(): void {
    this.calls.push('stop');
  }
}

describe('SharedKeyboardHook', () => {
  it('starts the native hook for the first user and stops it after the last', async () => {
    const native = new CountingHook();
    const shared = new SharedKeyboardHook(native);
    await shared.start();
    await shared.start();
    shared.stop();
    expect(native.calls).toEqual(['start']);
    shared.stop();
    shared.stop();
    expect(native.calls).toEqual(['start', 'stop']);
    await shared.start();
    expect(native.calls).toEqual(['start', 'stop', 'start']);
  });

  it('does not start the native hook when the probe fails, and probes again next time', async () => {
    const native = new CountingHook();
    let attempts = 0;
    const shared = new SharedKeyboardHook(native, async () => {
      attempts++;
      if (attempts === 1) throw new UserFacingError('hotkey-unavailable', 'No display.');
    });
    await expect(shared.start()).rejects.toThrow('No display.');
    expect(native.calls).toEqual([]);
    await shared.start();
    expect(native.calls).toEqual(['start']);
    expect(attempts).toBe(2);
  });
});

describe('probeKeyboardHook (real uiohook in a child process)', () => {
  it('turns an unreachable X display into an actionable error, without starting uiohook (which aborts or hangs there)', async () => {
    const error = await probeKeyboardHook({ platform: 'linux', env: { ...process.env, DISPLAY: ':4242' }, timeoutMs: 20_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    const userError = error as UserFacingError;
    expect(userError.code).toBe('hotkey-unavailable');
    expect(userError.message).toContain('display :4242');
    expect(userError.message).toContain('no X server answers at :4242');
  });

  it('turns the native abort on a display that answers but refuses uiohook into an actionable error', async () => {
    // A listening socket that is no X server: the pre-check passes, XOpenDisplay then fails.
    const number = 4300 + (process.pid % 500);
    const path = `/tmp/.X11-unix/X${number}`;
    mkdirSync('/tmp/.X11-unix', { recursive: true });
    const fake = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => fake.listen(path, resolve));
    try {
      const error = await probeKeyboardHook({ platform: 'linux', env: { ...process.env, DISPLAY: `:${number}` }, timeoutMs: 20_000 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'hotkey-unavailable' });
      expect((error as UserFacingError).message).toContain(`display :${number}`);
    } finally {
      fake.close();
    }
  });

  it('explains a Wayland session without XWayland, and one with no display at all', async () => {
    const wayland = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: 'wayland-0' };
    await expect(probeKeyboardHook({ platform: 'linux', env: wayland })).rejects.toThrow(/Wayland session.*Enable XWayland/);
    const none = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
    await expect(probeKeyboardHook({ platform: 'linux', env: none })).rejects.toThrow(/no graphical display/);
  });

  it('a shared hook whose probe fails never touches the native hook (which would abort this process)', async () => {
    const shared = new SharedKeyboardHook(uIOhook, () => probeKeyboardHook({ env: { ...process.env, DISPLAY: ':4242' }, timeoutMs: 20_000 }));
    await expect(shared.start()).rejects.toMatchObject({ code: 'hotkey-unavailable' });
    expect(shared.userCount).toBe(0);
  });
});
