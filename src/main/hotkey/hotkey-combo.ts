import { UiohookKey } from 'uiohook-napi';
import {
  HOTKEY_EXAMPLES,
  MODIFIER_KINDS,
  hotkeyWordsFromSpec,
  modifierKindOf,
  parseHotkeySpec,
  type ModifierKind,
} from '../../shared/hotkey-grammar';
import { UserFacingError } from '../user-facing-error';
import type { KeyboardHookEvent } from './keyboard-hook';

/** A hold-to-talk hotkey ready to match against uiohook events. */
export interface HotkeyCombo {
  /** Canonical settings string, e.g. "Ctrl+Space", "RightCtrl". */
  readonly text: string;
  /** Canonical key name of the main key, e.g. "Space". */
  readonly key: string;
  /** uiohook keycodes that count as the main key ("Ctrl" is either side: two codes). */
  readonly keycodes: readonly number[];
  /** Set when the main key is itself a modifier, e.g. 'ctrl' for "RightCtrl". */
  readonly keyModifier: ModifierKind | null;
  /** Modifiers (either side) that must be held with the main key; exactly these, no others. */
  readonly modifiers: readonly ModifierKind[];
}

/** libuiohook's VC_PAUSE; uiohook-napi's UiohookKey table leaves it out. */
const VC_PAUSE = 0x0e45;

export const MODIFIER_KEYCODES: Readonly<Record<ModifierKind, readonly number[]>> = {
  ctrl: [UiohookKey.Ctrl, UiohookKey.CtrlRight],
  alt: [UiohookKey.Alt, UiohookKey.AltRight],
  shift: [UiohookKey.Shift, UiohookKey.ShiftRight],
  meta: [UiohookKey.Meta, UiohookKey.MetaRight],
};

const NAMED_KEYCODES: Readonly<Record<string, readonly number[]>> = {
  Space: [UiohookKey.Space], Enter: [UiohookKey.Enter], Tab: [UiohookKey.Tab], Escape: [UiohookKey.Escape],
  Backquote: [UiohookKey.Backquote],
  ArrowUp: [UiohookKey.ArrowUp], ArrowDown: [UiohookKey.ArrowDown],
  ArrowLeft: [UiohookKey.ArrowLeft], ArrowRight: [UiohookKey.ArrowRight],
  Insert: [UiohookKey.Insert], Delete: [UiohookKey.Delete], Home: [UiohookKey.Home], End: [UiohookKey.End],
  PageUp: [UiohookKey.PageUp], PageDown: [UiohookKey.PageDown],
  Pause: [VC_PAUSE], ScrollLock: [UiohookKey.ScrollLock], CapsLock: [UiohookKey.CapsLock],
  Ctrl: MODIFIER_KEYCODES.ctrl, LeftCtrl: [UiohookKey.Ctrl], RightCtrl: [UiohookKey.CtrlRight],
  Alt: MODIFIER_KEYCODES.alt, LeftAlt: [UiohookKey.Alt], RightAlt: [UiohookKey.AltRight],
  Shift: MODIFIER_KEYCODES.shift, LeftShift: [UiohookKey.Shift], RightShift: [UiohookKey.ShiftRight],
  Meta: MODIFIER_KEYCODES.meta, LeftMeta: [UiohookKey.Meta], RightMeta: [UiohookKey.MetaRight],
};

function keycodesOf(key: string): readonly number[] | undefined {
  // The rest (F1–F24, A–Z, 0–9, punctuation, numpad) are spelled the same in UiohookKey.
  const direct = (UiohookKey as Readonly<Record<string, number>>)[key];
  return NAMED_KEYCODES[key] ?? (direct === undefined ? undefined : [direct]);
}

/**
 * Reads a hotkey from settings: "F9", "RightCtrl", "Ctrl+Space", "alt + f9", "AltGr"...
 * Throws a UserFacingError ('bad-settings') that names examples when the string is not one.
 */
export function parseHotkey(text: string): HotkeyCombo {
  const parsed = parseHotkeySpec(text);
  const keycodes = parsed.ok ? keycodesOf(parsed.spec.key) : undefined;
  if (!parsed.ok || keycodes === undefined) {
    const problem = parsed.ok ? `"${parsed.spec.key}" cannot be listened for` : parsed.problem;
    // `problem` stays English (the grammar's words): settings from the window always pass the grammar, so only --hotkey meets it.
    const params = { hotkey: text.trim(), problem, examples: HOTKEY_EXAMPLES.join(', ') };
    throw new UserFacingError(
      'bad-settings',
      `The hotkey "${params.hotkey}" is not valid: ${problem}. Open Settings and choose a key such as ${params.examples}.`,
      { text: { key: 'errors.hotkey.invalid', params } },
    );
  }
  return { text: parsed.text, key: parsed.spec.key, keycodes, keyModifier: modifierKindOf(parsed.spec.key), modifiers: parsed.spec.modifiers };
}

/** "F9", "Right Ctrl", "Ctrl+Space": the words for "Hold … to talk". */
export function formatHotkey(combo: HotkeyCombo, platform: string = process.platform): string {
  return hotkeyWordsFromSpec({ key: combo.key, modifiers: [...combo.modifiers] }, platform);
}

/** The words for a settings string; throws like parseHotkey when it is not valid. */
export function describeHotkey(text: string, platform: string = process.platform): string {
  return formatHotkey(parseHotkey(text), platform);
}

/**
 * Does this keydown start the hotkey? The main key must go down with exactly the required
 * modifiers held, so F9 does not fire on Ctrl+F9 (another app's shortcut). The main key's own
 * modifier flag is ignored: pressing Right Ctrl sets ctrlKey itself.
 */
export function comboMatchesKeydown(combo: HotkeyCombo, event: KeyboardHookEvent): boolean {
  if (!combo.keycodes.includes(event.keycode)) return false;
  const held: Record<ModifierKind, boolean> = { ctrl: event.ctrlKey, alt: event.altKey, shift: event.shiftKey, meta: event.metaKey };
  return MODIFIER_KINDS.every((kind) => kind === combo.keyModifier || held[kind] === combo.modifiers.includes(kind));
}

/** Does releasing this key end a hold: the main key, or any key of a required modifier. */
export function comboReleasedBy(combo: HotkeyCombo, keycode: number): boolean {
  return combo.keycodes.includes(keycode) || combo.modifiers.some((kind) => MODIFIER_KEYCODES[kind].includes(keycode));
}
