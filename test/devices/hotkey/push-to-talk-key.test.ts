import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseHotkey } from '../../../src/main/hotkey/hotkey-combo';
import { createUiohookKeyboard, type KeyboardHookEvent, type SharedKeyboardHook } from '../../../src/main/hotkey/keyboard-hook';
import { probeKeyboardHook } from '../../../src/main/hotkey/keyboard-hook-probe';
import { PushToTalkKey } from '../../../src/main/hotkey/push-to-talk-key';

/*
 * The real uiohook, listening to the Xvfb display from the device fixtures, with real key
 * events from xdotool (XTest). Nothing is faked here.
 */

const run = promisify(execFile);
const xdotool = (...args: string[]) => run('xdotool', args, { env: process.env });

// X keycode 105 is Control_R in Xvfb's keymap. `xdotool keydown Control_R` would also press
// Control_L first (xdotool adds the "modifier" it thinks the keysym needs), so send the code.
const RIGHT_CTRL_X = '105';
const VC = { F9: 67, Space: 57, Ctrl: 29, CtrlRight: 3613 };

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let hook: SharedKeyboardHook;
const keys: PushToTalkKey[] = [];
const logLines: string[] = [];
/** Every raw key event, seen through the same hook after PushToTalkKey's own listeners. */
const raw: string[] = [];
const onRawDown = (event: KeyboardHookEvent) => raw.push(`down:${event.keycode}`);
const onRawUp = (event: KeyboardHookEvent) => raw.push(`up:${event.keycode}`);

async function listen(hotkey: string) {
  const key = new PushToTalkKey({ hook, combo: parseHotkey(hotkey), log: (line) => logLines.push(line) });
  const events: string[] = [];
  key.onPress(() => events.push('press'));
  key.onRelease(({ reason }) => events.push(`release:${reason}`));
  await key.start();
  keys.push(key);
  if (keys.length === 1) {
    hook.on('keydown', onRawDown);
    hook.on('keyup', onRawUp);
  }
  return { key, events };
}

/** Every event up to this key-up has been handled: uiohook delivers events in order. */
const sawKeyUp = (keycode: number) => () => raw.includes(`up:${keycode}`);

beforeAll(() => {
  expect(process.env.DISPLAY, 'the device fixtures start Xvfb').toBeTruthy();
  hook = createUiohookKeyboard();
});

afterEach(async () => {
  await xdotool('keyup', 'F9', 'space', 'ctrl', RIGHT_CTRL_X);
  hook.off('keydown', onRawDown);
  hook.off('keyup', onRawUp);
  for (const key of keys.splice(0)) key.dispose();
  raw.length = 0;
  logLines.length = 0;
  expect(hook.userCount).toBe(0);
});

describe('PushToTalkKey with real key events under Xvfb', () => {
  it('the probe passes on a working display', async () => {
    await expect(probeKeyboardHook()).resolves.toBeUndefined();
  });

  it('F9: one press on key-down, one release on key-up', async () => {
    const { key, events } = await listen('F9');
    await xdotool('keydown', 'F9');
    await waitFor('the press', () => events.length === 1);
    expect(key.isHeld).toBe(true);
    await xdotool('keyup', 'F9');
    await waitFor('the release', () => events.length === 2);
    expect(events).toEqual(['press', 'release:key-up']);
    expect(key.isHeld).toBe(false);
  });

  it('Right Ctrl on its own', async () => {
    const { events } = await listen('RightCtrl');
    await xdotool('keydown', RIGHT_CTRL_X);
    await waitFor('the press', () => events.length === 1);
    await xdotool('keyup', RIGHT_CTRL_X);
    await waitFor('the release', () => events.length === 2);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('Ctrl+Space fires with Ctrl held, and not for Space alone', async () => {
    const { events } = await listen('Ctrl+Space');
    await xdotool('key', 'space');
    await waitFor('the plain Space to pass', sawKeyUp(VC.Space));
    expect(events).toEqual([]);
    await xdotool('keydown', 'ctrl+space');
    await waitFor('the press', () => events.length === 1);
    await xdotool('keyup', 'space', 'ctrl');
    await waitFor('the release', () => events.length === 2);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('letting go of the combo’s modifier ends the hold while the main key is still down', async () => {
    const { key, events } = await listen('Ctrl+Space');
    await xdotool('keydown', 'ctrl+space');
    await waitFor('the press', () => events.length === 1);
    await xdotool('keyup', 'ctrl');
    await waitFor('the release', () => events.length === 2);
    expect(key.isHeld).toBe(false);
    await xdotool('keyup', 'space');
    await waitFor('the Space key-up', sawKeyUp(VC.Space));
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('a held key auto-repeating gives one press', async () => {
    const { events } = await listen('F9');
    await xdotool('keydown', 'F9');
    // The X server's own auto-repeat (on in Xvfb) sends F9 again while it stays down.
    await waitFor('auto-repeat', () => raw.filter((event) => event === `down:${VC.F9}`).length >= 4);
    // The hold is unbroken while the key repeats.
    expect(events).toEqual(['press']);
    await xdotool('keyup', 'F9');
    await waitFor('the release', () => events.length === 2);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('F9 does not fire as part of Ctrl+F9, another app’s shortcut', async () => {
    const { events } = await listen('F9');
    await xdotool('key', 'ctrl+F9');
    await waitFor('Ctrl+F9 to pass', sawKeyUp(VC.F9));
    expect(events).toEqual([]);
    await xdotool('key', 'F9');
    await waitFor('the plain F9', () => events.length === 2);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('an exception in a listener does not crash the process, and later presses still arrive', async () => {
    const { key, events } = await listen('F9');
    key.onPress(() => {
      throw new Error('a bug in a press listener');
    });
    key.onRelease(() => {
      throw new Error('a bug in a release listener');
    });
    for (let round = 1; round <= 2; round++) {
      await xdotool('keydown', 'F9');
      await waitFor(`press ${round}`, () => events.length === 2 * round - 1);
      await xdotool('keyup', 'F9');
      await waitFor(`release ${round}`, () => events.length === 2 * round);
    }
    expect(events).toEqual(['press', 'release:key-up', 'press', 'release:key-up']);
    expect(logLines.filter((line) => line.includes('a bug in a press listener'))).toHaveLength(2);
    expect(logLines.filter((line) => line.includes('a bug in a release listener'))).toHaveLength(2);
  });

  it('setCombo switches the key live, ending a hold in progress', async () => {
    const { key, events } = await listen('F9');
    await xdotool('keydown', 'F9');
    await waitFor('the press', () => events.length === 1);
    key.setCombo(parseHotkey('RightCtrl'));
    expect(events).toEqual(['press', 'release:combo-changed']);
    await xdotool('keyup', 'F9');
    await xdotool('key', 'F9');
    await waitFor('F9 to pass', () => raw.filter((event) => event === `up:${VC.F9}`).length === 2);
    expect(events).toHaveLength(2);
    await xdotool('keydown', RIGHT_CTRL_X);
    await xdotool('keyup', RIGHT_CTRL_X);
    await waitFor('Right Ctrl', () => events.length === 4);
    expect(events.slice(2)).toEqual(['press', 'release:key-up']);
  });

  it('two keys share the one uiohook: disposing one leaves the other listening', async () => {
    const first = await listen('F9');
    const second = await listen('F9');
    expect(hook.userCount).toBe(2);
    first.key.dispose();
    expect(hook.userCount).toBe(1);
    await xdotool('key', 'F9');
    await waitFor('the second key’s press and release', () => second.events.length === 2);
    expect(first.events).toEqual([]);
  });

  it('forceRelease (screen locked) ends the hold; the real key-up afterwards adds nothing', async () => {
    const { key, events } = await listen('Ctrl+Space');
    await xdotool('keydown', 'ctrl+space');
    await waitFor('the press', () => events.length === 1);
    key.forceRelease('session-locked');
    await xdotool('keyup', 'space', 'ctrl');
    await waitFor('the key-ups', sawKeyUp(VC.Ctrl));
    expect(events).toEqual(['press', 'release:session-locked']);
  });
});
