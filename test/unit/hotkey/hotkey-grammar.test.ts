import { describe, expect, it } from 'vitest';
import {
  HotkeyRecorder,
  holdToTalkSentence,
  hotkeyFromKeyboardEvent,
  hotkeyWords,
  parseHotkeySpec,
  type KeyCaptureEvent,
} from '../../../src/shared/hotkey-grammar';
import { parseHotkey } from '../../../src/main/hotkey/hotkey-combo';

const key = (code: string, held: Partial<KeyCaptureEvent> = {}): KeyCaptureEvent => ({
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...held,
});

describe('words for the window', () => {
  it('says "Hold F9 to talk"', () => {
    expect(holdToTalkSentence('F9')).toBe('Hold F9 to talk');
    expect(holdToTalkSentence('rightctrl', 'linux')).toBe('Hold Right Ctrl to talk');
    expect(holdToTalkSentence('Ctrl + Space')).toBe('Hold Ctrl+Space to talk');
  });

  it('gives null, not a guess, for a bad string', () => {
    expect(holdToTalkSentence('Ctrl+Banana')).toBeNull();
    expect(hotkeyWords('')).toBeNull();
    const parsed = parseHotkeySpec('Ctrl+Banana');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toBe('"Banana" is not a key Parley knows');
  });
});

describe('hotkeyFromKeyboardEvent', () => {
  it.each([
    [key('F9'), 'F9'],
    [key('KeyK', { ctrlKey: true, shiftKey: true }), 'Ctrl+Shift+K'],
    [key('Space', { ctrlKey: true }), 'Ctrl+Space'],
    [key('Digit4', { altKey: true }), 'Alt+4'],
    [key('F9', { altKey: true }), 'Alt+F9'],
    [key('Backquote', { metaKey: true }), 'Meta+Backquote'],
    [key('ControlRight', { ctrlKey: true }), 'RightCtrl'],
    [key('ControlRight'), 'RightCtrl'],
    [key('AltRight', { altKey: true }), 'RightAlt'],
    [key('ShiftLeft', { shiftKey: true, ctrlKey: true }), 'Ctrl+LeftShift'],
    [key('OSRight', { metaKey: true }), 'RightMeta'],
    [key('ArrowUp'), 'ArrowUp'],
    [key('PageDown'), 'PageDown'],
    [key('Pause'), 'Pause'],
    [key('ScrollLock'), 'ScrollLock'],
    [key('Numpad5', { shiftKey: true }), 'Shift+Numpad5'],
    [key('Comma', { ctrlKey: true }), 'Ctrl+Comma'],
  ])('turns %j into %s, which the engine accepts as the same key', (event, text) => {
    expect(hotkeyFromKeyboardEvent(event)).toBe(text);
    expect(parseHotkey(text).text).toBe(text);
  });

  it.each(['Fn', 'MediaPlayPause', 'IntlBackslash', ''])('gives null for %j, a key Parley cannot listen for', (code) => {
    expect(hotkeyFromKeyboardEvent(key(code))).toBeNull();
  });
});

describe('HotkeyRecorder', () => {
  it('finishes Ctrl+Space on the Space, not at the Ctrl', () => {
    const recorder = new HotkeyRecorder();
    expect(recorder.keydown(key('ControlLeft', { ctrlKey: true }))).toBeNull();
    expect(recorder.keydown(key('Space', { ctrlKey: true }))).toBe('Ctrl+Space');
    expect(recorder.keyup(key('Space', { ctrlKey: true }))).toBeNull();
    expect(recorder.keyup(key('ControlLeft'))).toBeNull();
  });

  it('records a modifier alone when it is released with nothing else pressed', () => {
    const recorder = new HotkeyRecorder();
    expect(recorder.keydown(key('ControlRight', { ctrlKey: true }))).toBeNull();
    expect(recorder.keydown(key('ControlRight', { ctrlKey: true, repeat: true }))).toBeNull();
    expect(recorder.keyup(key('ControlRight'))).toBe('RightCtrl');
  });

  it('ignores auto-repeat keydowns and forgets a modifier after reset', () => {
    const recorder = new HotkeyRecorder();
    expect(recorder.keydown(key('F9', { repeat: true }))).toBeNull();
    recorder.keydown(key('AltRight', { altKey: true }));
    recorder.reset();
    expect(recorder.keyup(key('AltRight'))).toBeNull();
  });
});
