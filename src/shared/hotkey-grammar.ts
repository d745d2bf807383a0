/**
 * The words for Parley's hold-to-talk hotkey, shared by the engine and the window: the key
 * names a settings string may use, how they read to a person ("Hold Right Ctrl to talk"), and
 * how a key pressed in the settings window becomes a settings string. The engine maps these
 * names to native keycodes in src/main/hotkey/hotkey-combo.ts; nothing here touches a keyboard.
 */

export const MODIFIER_KINDS = ['ctrl', 'alt', 'shift', 'meta'] as const;
export type ModifierKind = (typeof MODIFIER_KINDS)[number];

const FUNCTION_KEYS = Array.from({ length: 24 }, (_, i) => `F${i + 1}`);
const LETTERS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

/** Modifier keys usable on their own, by side ("Ctrl" is either side). */
const MODIFIER_KEYS = {
  Ctrl: 'ctrl', LeftCtrl: 'ctrl', RightCtrl: 'ctrl',
  Alt: 'alt', LeftAlt: 'alt', RightAlt: 'alt',
  Shift: 'shift', LeftShift: 'shift', RightShift: 'shift',
  Meta: 'meta', LeftMeta: 'meta', RightMeta: 'meta',
} as const satisfies Record<string, ModifierKind>;

const OTHER_KEYS = [
  'Space', 'Enter', 'Tab', 'Escape', 'Backquote',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
  'Insert', 'Delete', 'Home', 'End', 'PageUp', 'PageDown',
  'Pause', 'ScrollLock', 'CapsLock', 'NumLock', 'PrintScreen', 'Backspace',
  'Minus', 'Equal', 'BracketLeft', 'BracketRight', 'Backslash', 'Semicolon', 'Quote', 'Comma', 'Period', 'Slash',
  ...Array.from({ length: 10 }, (_, i) => `Numpad${i}`),
  'NumpadMultiply', 'NumpadAdd', 'NumpadSubtract', 'NumpadDecimal', 'NumpadDivide', 'NumpadEnter',
];

/** Every key a settings string may name, in its canonical spelling. */
export const KEY_NAMES: readonly string[] = [...FUNCTION_KEYS, ...LETTERS, ...DIGITS, ...OTHER_KEYS, ...Object.keys(MODIFIER_KEYS)];

export const HOTKEY_EXAMPLES = ['F9', 'RightCtrl', 'Ctrl+Space', 'Alt+F9', 'Ctrl+Shift+K'] as const;

/** A parsed hotkey: one main key, plus the modifiers (either side) that must be held with it. */
export interface HotkeySpec {
  key: string;
  /** Canonical order (Ctrl, Alt, Shift, Meta), no repeats, never the main key's own kind. */
  modifiers: ModifierKind[];
}

export type HotkeyParseResult = { ok: true; spec: HotkeySpec; text: string } | { ok: false; problem: string };

const canonical = (name: string): string => name.replace(/[\s_-]+/g, '').toLowerCase();

const KEY_ALIASES = new Map<string, string>([
  ...KEY_NAMES.map((name): [string, string] => [canonical(name), name]),
  ...Object.entries({
    control: 'Ctrl', leftcontrol: 'LeftCtrl', rightcontrol: 'RightCtrl', lctrl: 'LeftCtrl', rctrl: 'RightCtrl',
    controlleft: 'LeftCtrl', controlright: 'RightCtrl', ctrlleft: 'LeftCtrl', ctrlright: 'RightCtrl',
    option: 'Alt', leftoption: 'LeftAlt', rightoption: 'RightAlt', altgr: 'RightAlt', altgraph: 'RightAlt',
    altleft: 'LeftAlt', altright: 'RightAlt', lalt: 'LeftAlt', ralt: 'RightAlt',
    shiftleft: 'LeftShift', shiftright: 'RightShift', lshift: 'LeftShift', rshift: 'RightShift',
    super: 'Meta', cmd: 'Meta', command: 'Meta', win: 'Meta', windows: 'Meta', os: 'Meta',
    leftsuper: 'LeftMeta', rightsuper: 'RightMeta', leftcmd: 'LeftMeta', rightcmd: 'RightMeta',
    leftcommand: 'LeftMeta', rightcommand: 'RightMeta', leftwin: 'LeftMeta', rightwin: 'RightMeta',
    metaleft: 'LeftMeta', metaright: 'RightMeta', osleft: 'LeftMeta', osright: 'RightMeta',
    spacebar: 'Space', return: 'Enter', esc: 'Escape', grave: 'Backquote', backtick: 'Backquote', '`': 'Backquote',
    up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight',
    uparrow: 'ArrowUp', downarrow: 'ArrowDown', leftarrow: 'ArrowLeft', rightarrow: 'ArrowRight',
    ins: 'Insert', del: 'Delete', pgup: 'PageUp', pgdn: 'PageDown', pgdown: 'PageDown',
    break: 'Pause', scrlk: 'ScrollLock', capslk: 'CapsLock', caps: 'CapsLock', numlk: 'NumLock',
    prtsc: 'PrintScreen', printscr: 'PrintScreen', print: 'PrintScreen',
  }),
]);

/** The modifier a key is, if it is one ("RightCtrl" is a ctrl). */
export function modifierKindOf(key: string): ModifierKind | null {
  return (MODIFIER_KEYS as Record<string, ModifierKind>)[key] ?? null;
}

function isSidedModifier(key: string): boolean {
  return modifierKindOf(key) !== null && /^(Left|Right)/.test(key);
}

/** Case-insensitive; spaces, "Control", "Option", "AltGr", "Win", "Cmd" and the like are accepted. */
export function parseHotkeySpec(input: string): HotkeyParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'it is empty' };
  const tokens = text.split('+').map((token) => token.trim());
  if (tokens.some((token) => token === '')) return { ok: false, problem: `"${text}" has an empty part around a "+"` };
  const names: string[] = [];
  for (const token of tokens) {
    const name = KEY_ALIASES.get(canonical(token));
    if (name === undefined) return { ok: false, problem: `"${token}" is not a key Parley knows` };
    names.push(name);
  }
  const key = names[names.length - 1] as string;
  const modifiers = new Set<ModifierKind>();
  for (const name of names.slice(0, -1)) {
    const kind = modifierKindOf(name);
    if (kind === null) return { ok: false, problem: `"${name}" cannot be held with another key; only Ctrl, Alt, Shift and Meta can` };
    if (isSidedModifier(name)) {
      return { ok: false, problem: `"${name}" works only as a key on its own; in a combination write ${kindName(kind)} (either side)` };
    }
    if (modifiers.has(kind) || kind === modifierKindOf(key)) return { ok: false, problem: `${kindName(kind)} appears twice` };
    modifiers.add(kind);
  }
  const spec: HotkeySpec = { key, modifiers: MODIFIER_KINDS.filter((kind) => modifiers.has(kind)) };
  return { ok: true, spec, text: hotkeyText(spec) };
}

function kindName(kind: ModifierKind): string {
  return { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Meta' }[kind];
}

/** The canonical settings string, e.g. "Ctrl+Shift+K" or "RightCtrl". */
export function hotkeyText(spec: HotkeySpec): string {
  return [...spec.modifiers.map(kindName), spec.key].join('+');
}

/** The platform's own names for Alt and Meta; `platform` is Node's `process.platform`. */
function kindWord(kind: ModifierKind, platform: string | undefined): string {
  if (kind === 'meta') return platform === 'darwin' ? 'Cmd' : platform === 'win32' ? 'Win' : platform === 'linux' ? 'Super' : 'Meta';
  if (kind === 'alt' && platform === 'darwin') return 'Option';
  return kindName(kind);
}

function keyWord(key: string, platform: string | undefined): string {
  const kind = modifierKindOf(key);
  if (kind !== null) {
    const side = key.startsWith('Left') ? 'Left ' : key.startsWith('Right') ? 'Right ' : '';
    return side + kindWord(kind, platform);
  }
  const words: Record<string, string> = {
    ArrowUp: 'Up Arrow', ArrowDown: 'Down Arrow', ArrowLeft: 'Left Arrow', ArrowRight: 'Right Arrow',
    PageUp: 'Page Up', PageDown: 'Page Down', ScrollLock: 'Scroll Lock', CapsLock: 'Caps Lock',
    Escape: 'Esc', Backquote: '`', NumLock: 'Num Lock', PrintScreen: 'Print Screen',
    Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\', Semicolon: ';', Quote: "'",
    Comma: ',', Period: '.', Slash: '/',
    NumpadMultiply: 'Numpad *', NumpadAdd: 'Numpad +', NumpadSubtract: 'Numpad -', NumpadDecimal: 'Numpad .',
    NumpadDivide: 'Numpad /', NumpadEnter: 'Numpad Enter',
  };
  return words[key] ?? key.replace(/^Numpad(\d)$/, 'Numpad $1');
}

/** How a hotkey reads to a person: "F9", "Right Ctrl", "Ctrl+Space". */
export function hotkeyWordsFromSpec(spec: HotkeySpec, platform?: string): string {
  return [...spec.modifiers.map((kind) => kindWord(kind, platform)), keyWord(spec.key, platform)].join('+');
}

/** The words for a settings string, or null when the string is not a valid hotkey. */
export function hotkeyWords(text: string, platform?: string): string | null {
  const parsed = parseHotkeySpec(text);
  return parsed.ok ? hotkeyWordsFromSpec(parsed.spec, platform) : null;
}

/** "Hold F9 to talk", or null when the string is not a valid hotkey. */
export function holdToTalkSentence(text: string, platform?: string): string | null {
  const words = hotkeyWords(text, platform);
  return words === null ? null : `Hold ${words} to talk`;
}

/** The parts of a browser KeyboardEvent that key capture needs (a real KeyboardEvent fits). */
export interface KeyCaptureEvent {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
  repeat?: boolean;
}

const CODE_MODIFIERS: Record<string, string> = {
  ControlLeft: 'LeftCtrl', ControlRight: 'RightCtrl', AltLeft: 'LeftAlt', AltRight: 'RightAlt',
  ShiftLeft: 'LeftShift', ShiftRight: 'RightShift', MetaLeft: 'LeftMeta', MetaRight: 'RightMeta',
  OSLeft: 'LeftMeta', OSRight: 'RightMeta',
};

function keyNameFromCode(code: string): string | null {
  if (code in CODE_MODIFIERS) return CODE_MODIFIERS[code] ?? null;
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1] ?? null;
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit) return digit[1] ?? null;
  return KEY_NAMES.includes(code) && modifierKindOf(code) === null ? code : null;
}

export function isModifierCode(code: string): boolean {
  return code in CODE_MODIFIERS;
}

/**
 * The settings string for a key pressed in the settings window (from `event.code`, which names
 * the physical key whatever the layout, and the modifier flags), or null for a key Parley
 * cannot listen for. A modifier key's own flag is ignored, so this works on its keyup too.
 */
export function hotkeyFromKeyboardEvent(event: KeyCaptureEvent): string | null {
  const key = keyNameFromCode(event.code);
  if (key === null) return null;
  const own = modifierKindOf(key);
  const held: Record<ModifierKind, boolean> = { ctrl: event.ctrlKey, alt: event.altKey, shift: event.shiftKey, meta: event.metaKey };
  return hotkeyText({ key, modifiers: MODIFIER_KINDS.filter((kind) => held[kind] && kind !== own) });
}

/**
 * Key capture for the settings window: feed it every keydown and keyup while capturing.
 * A normal key finishes on keydown ("Ctrl+Space"); a modifier alone ("RightCtrl") finishes
 * when it is released with no other key pressed meanwhile, so Ctrl+Space is not cut short
 * at the Ctrl.
 */
export class HotkeyRecorder {
  private pendingModifier: { code: string; text: string } | null = null;

  /** Returns the finished hotkey string, or null while the user is still pressing keys. */
  keydown(event: KeyCaptureEvent): string | null {
    if (event.repeat === true) return null;
    const text = hotkeyFromKeyboardEvent(event);
    if (isModifierCode(event.code)) {
      this.pendingModifier = text === null ? null : { code: event.code, text };
      return null;
    }
    this.pendingModifier = null;
    return text;
  }

  keyup(event: KeyCaptureEvent): string | null {
    const pending = this.pendingModifier;
    this.pendingModifier = null;
    return pending !== null && pending.code === event.code ? pending.text : null;
  }

  reset(): void {
    this.pendingModifier = null;
  }
}
