import { UiohookKey } from 'uiohook-napi';
import { describe, expect, it } from 'vitest';
import { comboMatchesKeydown, comboReleasedBy, describeHotkey, formatHotkey, parseHotkey } from '../../../src/main/hotkey/hotkey-combo';
import { UserFacingError } from '../../../src/main/user-facing-error';

const keydown = (keycode: number, held: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  keycode,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...held,
});

describe('parseHotkey', () => {
  it.each([
    ['F9', 'F9', [67], []],
    ['f24', 'F24', [107], []],
    ['F1', 'F1', [59], []],
    ['k', 'K', [37], []],
    ['7', '7', [8], []],
    ['RightCtrl', 'RightCtrl', [3613], []],
    ['right ctrl', 'RightCtrl', [3613], []],
    ['ControlRight', 'RightCtrl', [3613], []],
    ['LeftCtrl', 'LeftCtrl', [29], []],
    ['Ctrl', 'Ctrl', [29, 3613], []],
    ['AltGr', 'RightAlt', [3640], []],
    ['RightShift', 'RightShift', [54], []],
    ['Super', 'Meta', [3675, 3676], []],
    ['Cmd', 'Meta', [3675, 3676], []],
    ['Win', 'Meta', [3675, 3676], []],
    ['RightCmd', 'RightMeta', [3676], []],
    ['Ctrl+Space', 'Ctrl+Space', [57], ['ctrl']],
    ['control + space', 'Ctrl+Space', [57], ['ctrl']],
    ['Shift+Ctrl+k', 'Ctrl+Shift+K', [37], ['ctrl', 'shift']],
    ['Option+F9', 'Alt+F9', [67], ['alt']],
    ['Alt+F9', 'Alt+F9', [67], ['alt']],
    ['Win+Backquote', 'Meta+Backquote', [41], ['meta']],
    ['Pause', 'Pause', [0x0e45], []],
    ['ScrollLock', 'ScrollLock', [70], []],
    ['Caps Lock', 'CapsLock', [58], []],
    ['PgDn', 'PageDown', [3665], []],
    ['Esc', 'Escape', [1], []],
    ['Enter', 'Enter', [28], []],
    ['Tab', 'Tab', [15], []],
    ['Up', 'ArrowUp', [57416], []],
    ['Insert', 'Insert', [3666], []],
    ['Delete', 'Delete', [3667], []],
    ['Home', 'Home', [3655], []],
    ['End', 'End', [3663], []],
    ['Shift+RightCtrl', 'Shift+RightCtrl', [3613], ['shift']],
    ['CtrlRight', 'RightCtrl', [3613], []],
    ['Ctrl+Minus', 'Ctrl+Minus', [12], ['ctrl']],
    ['Numpad1', 'Numpad1', [79], []],
    ['NumpadEnter', 'NumpadEnter', [3612], []],
    ['PrintScreen', 'PrintScreen', [3639], []],
    ['Backspace', 'Backspace', [14], []],
  ])('reads %j as %s', (input, text, keycodes, modifiers) => {
    const combo = parseHotkey(input);
    expect(combo.text).toBe(text);
    expect(combo.keycodes).toEqual(keycodes);
    expect(combo.modifiers).toEqual(modifiers);
    // The canonical string reads back to the same combo.
    expect(parseHotkey(combo.text)).toEqual(combo);
  });

  it('uses the codes uiohook reports for right-side modifiers', () => {
    expect(parseHotkey('RightCtrl').keycodes).toEqual([UiohookKey.CtrlRight]);
    expect(parseHotkey('RightAlt').keycodes).toEqual([UiohookKey.AltRight]);
    expect(parseHotkey('RightShift').keycodes).toEqual([UiohookKey.ShiftRight]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['F25', '"F25" is not a key'],
    ['Hyper', '"Hyper" is not a key'],
    ['Ctrl+', 'empty part'],
    ['Ctrl++Space', 'empty part'],
    ['K+Space', 'only Ctrl, Alt, Shift and Meta'],
    ['RightCtrl+Space', 'in a combination write Ctrl'],
    ['Ctrl+Control+Space', 'Ctrl appears twice'],
    ['Shift+RightShift', 'Shift appears twice'],
  ])('rejects %j with a sentence that says why and what to use', (input, why) => {
    let error: unknown;
    try {
      parseHotkey(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    const userError = error as UserFacingError;
    expect(userError.code).toBe('bad-settings');
    expect(userError.action).toBe('open-settings');
    expect(userError.message).toContain(why);
    expect(userError.message).toContain('F9, RightCtrl, Ctrl+Space');
  });
});

describe('formatHotkey and describeHotkey', () => {
  it.each([
    ['F9', 'linux', 'F9'],
    ['RightCtrl', 'linux', 'Right Ctrl'],
    ['ctrl+space', 'linux', 'Ctrl+Space'],
    ['AltGr', 'linux', 'Right Alt'],
    ['Meta+K', 'linux', 'Super+K'],
    ['Meta+K', 'darwin', 'Cmd+K'],
    ['Alt+F9', 'darwin', 'Option+F9'],
    ['RightMeta', 'win32', 'Right Win'],
    ['PageUp', 'linux', 'Page Up'],
    ['ArrowDown', 'linux', 'Down Arrow'],
    ['Ctrl+Slash', 'linux', 'Ctrl+/'],
    ['Numpad7', 'linux', 'Numpad 7'],
  ])('describes %s on %s as "%s"', (text, platform, words) => {
    expect(describeHotkey(text, platform)).toBe(words);
    expect(formatHotkey(parseHotkey(text), platform)).toBe(words);
  });

  it('throws the same settings error as parseHotkey for a bad string', () => {
    expect(() => describeHotkey('Ctrl+Nope')).toThrow(/not a key Parley knows/);
  });
});

describe('matching uiohook events', () => {
  it('F9 fires on F9 alone, not on Ctrl+F9 or another key', () => {
    const f9 = parseHotkey('F9');
    expect(comboMatchesKeydown(f9, keydown(67))).toBe(true);
    expect(comboMatchesKeydown(f9, keydown(67, { ctrlKey: true }))).toBe(false);
    expect(comboMatchesKeydown(f9, keydown(68))).toBe(false);
  });

  it('a modifier key alone ignores its own flag but not others', () => {
    const rightCtrl = parseHotkey('RightCtrl');
    expect(comboMatchesKeydown(rightCtrl, keydown(3613, { ctrlKey: true }))).toBe(true);
    expect(comboMatchesKeydown(rightCtrl, keydown(29, { ctrlKey: true }))).toBe(false);
    expect(comboMatchesKeydown(rightCtrl, keydown(3613, { ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('Ctrl+Space needs Ctrl held, and ends when either the Space or a Ctrl comes up', () => {
    const combo = parseHotkey('Ctrl+Space');
    expect(comboMatchesKeydown(combo, keydown(57, { ctrlKey: true }))).toBe(true);
    expect(comboMatchesKeydown(combo, keydown(57))).toBe(false);
    expect(comboMatchesKeydown(combo, keydown(57, { ctrlKey: true, altKey: true }))).toBe(false);
    expect(comboReleasedBy(combo, 57)).toBe(true);
    expect(comboReleasedBy(combo, 29)).toBe(true);
    expect(comboReleasedBy(combo, 3613)).toBe(true);
    expect(comboReleasedBy(combo, 42)).toBe(false);
  });
});
