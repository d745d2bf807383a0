import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engine-events';
import { SettingsSchema, type Settings } from '../../../src/shared/settings';
import type { Microphone, Speaker } from '../../../src/main/audio/mic-and-speaker';
import type { BackendListener, VoiceBackend } from '../../../src/main/backends/voice-backend';
import { parseHotkey } from '../../../src/main/hotkey/hotkey-combo';
import type { KeyboardHook, KeyboardHookListener } from '../../../src/main/hotkey/keyboard-hook';
import type { ConversationView } from '../../../src/main/session/conversation';
import type { EngineFactory } from '../../../src/main/session/engine-factory';
import { ParleyEngine } from '../../../src/main/session/parley-engine';
import { UserFacingError } from '../../../src/main/user-facing-error';

/*
 * Stand-ins, and why: these tests are about how the engine composes and replaces its parts
 * (which settings change rebuilds what, in what order), which needs devices that can be
 * counted and a backend that fails on cue. The real devices, key and servers run the whole
 * engine in test/devices/e2e and test/browser.
 */
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

class CountedDevice {
  static open = 0;
  static maxOpen = 0;
  isOpen = false;
  disposed = false;
  isListening = false;
  isPlaying = false;
  constructor(readonly name: string | null) {}
  async open(): Promise<void> {
    await tick();
    if (this.isOpen || this.disposed) return;
    this.isOpen = true;
    CountedDevice.maxOpen = Math.max(CountedDevice.maxOpen, ++CountedDevice.open);
  }
  async close(): Promise<void> {
    await tick();
    if (this.isOpen) CountedDevice.open--;
    this.isOpen = false;
  }
  async dispose(): Promise<void> {
    await this.close();
    this.disposed = true;
  }
  onFrames = () => () => undefined;
  onError = () => () => undefined;
  onDrained = () => () => undefined;
  onPlaybackStarted = () => () => undefined;
  setListening = () => undefined;
  play = () => undefined;
  stop = () => null;
}

function standInParts(connectFailure?: UserFacingError) {
  const mics: CountedDevice[] = [];
  /** What each backend was built with, and how often it was told its conversation was replaced. */
  const backends: Array<{ conversation: ConversationView; emit: BackendListener | null; replaced: number }> = [];
  /** The hotkey's keydown listeners: `pressHotkey` presses F9 (the default hotkey) through them. */
  const keydown = new Set<KeyboardHookListener>();
  const hook: KeyboardHook = {
    on: (event: string, listener: KeyboardHookListener) => (event === 'keydown' && keydown.add(listener), hook),
    off: (_event: string, listener: KeyboardHookListener) => (keydown.delete(listener), hook),
    start: () => undefined,
    stop: () => undefined,
  };
  const pressHotkey = () => {
    const keycode = parseHotkey('F9').keycodes[0]!;
    for (const listener of [...keydown]) listener({ keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false });
  };
  const parts: EngineFactory = {
    createMicrophone: (name) => {
      const mic = new CountedDevice(name);
      mics.push(mic);
      return mic as unknown as Microphone;
    },
    createSpeaker: (name) => new CountedDevice(name) as unknown as Speaker,
    createBackend: (_settings, { conversation }) => {
      const built: (typeof backends)[number] = { conversation, emit: null, replaced: 0 };
      backends.push(built);
      return {
        connect: async () => {
          if (connectFailure) throw connectFailure;
        },
        on: (listener: BackendListener) => ((built.emit = listener), () => undefined),
        replaceConversation: () => (built.replaced += 1),
        dispose: async () => undefined,
      } as unknown as VoiceBackend;
    },
    keyboard: () => hook,
    listDevices: async () => ({ inputs: [], outputs: [] }),
  };
  return { parts, mics, backends, pressHotkey };
}

const settings = (inputDevice: string | null): Settings => ({ ...SettingsSchema.parse({}), inputDevice });

const noKey = new UserFacingError('no-api-key', 'Parley needs an OpenAI API key. Open Settings and paste your key.', { action: 'open-settings' });
const rejected = new UserFacingError('auth', 'The server rejected the API key. Open Settings and check it.', { action: 'open-settings' });
const locked = new UserFacingError('no-api-key', 'Parley could not unlock your saved API key. Open Settings and paste your key again.', { action: 'open-settings' });

/** The messages of the engine's error events, in order. */
function errorsOf(engine: ParleyEngine): string[] {
  const errors: string[] = [];
  engine.onEvent((event: EngineEvent) => {
    if (event.type === 'error') errors.push(event.message);
  });
  return errors;
}

describe('ParleyEngine', () => {
  it('applies quick successive settings changes one after another: no device is left open behind the last', async () => {
    CountedDevice.open = 0;
    CountedDevice.maxOpen = 0;
    const { parts, mics } = standInParts();
    const engine = new ParleyEngine({ settings: settings('first'), apiKey: 'k', log: () => undefined, factory: parts });
    await engine.start();
    await Promise.all([engine.applySettings(settings('second'), 'k'), engine.applySettings(settings('third'), 'k')]);
    expect(mics.map((mic) => mic.name)).toEqual(['first', 'second', 'third']);
    expect(mics.map((mic) => mic.disposed)).toEqual([true, true, false]);
    expect(mics.at(-1)!.isOpen).toBe(true);
    await engine.dispose();
    expect(mics.every((mic) => mic.disposed)).toBe(true);
  });

  it('names the real reason when the saved key could not be unlocked, not "no key"', async () => {
    const { parts } = standInParts(noKey);
    const engine = new ParleyEngine({ settings: settings(null), apiKey: null, keyProblem: locked, log: () => undefined, factory: parts });
    const errors = errorsOf(engine);
    await engine.start();
    await tick(20);
    expect(errors).toEqual([locked.message]);
    await engine.dispose();
  });

  it('names the unlock problem again when the hotkey is pressed, not "no key"', async () => {
    const { parts, pressHotkey } = standInParts(noKey);
    const engine = new ParleyEngine({ settings: settings(null), apiKey: null, keyProblem: locked, log: () => undefined, factory: parts });
    const errors = errorsOf(engine);
    await engine.start();
    await tick(20);
    pressHotkey();
    expect(errors).toEqual([locked.message, locked.message]);
    expect(engine.state).toBe('error');
    await engine.dispose();
  });

  it('names the unlock problem when the server rejects the missing key only on a turn (chat-audio)', async () => {
    const { parts, backends } = standInParts();
    const engine = new ParleyEngine({ settings: settings(null), apiKey: null, keyProblem: locked, log: () => undefined, factory: parts });
    const errors = errorsOf(engine);
    await engine.start();
    backends[0]!.emit!({ type: 'error', error: rejected });
    backends[0]!.emit!({ type: 'error', error: new UserFacingError('rate-limited', 'Too many requests. Wait a moment and try again.') });
    expect(errors).toEqual([locked.message, 'Too many requests. Wait a moment and try again.']);
    await engine.dispose();
  });

  it('a settings change brings the unlock problem, and a new key or a readable one takes it away', async () => {
    const { parts, backends } = standInParts(noKey);
    const engine = new ParleyEngine({ settings: settings(null), apiKey: null, log: () => undefined, factory: parts });
    const errors = errorsOf(engine);
    await engine.start();
    await engine.applySettings(settings(null), null, locked);
    await tick(20);
    await engine.applySettings(settings(null), null, null);
    await tick(20);
    expect(errors).toEqual([noKey.message, locked.message, noKey.message]);
    expect(backends).toHaveLength(3);
    await engine.dispose();
  });

  it('keeps one conversation across a settings change, and the new backend reads it', async () => {
    const { parts, backends } = standInParts();
    const engine = new ParleyEngine({ settings: settings(null), apiKey: 'k', log: () => undefined, factory: parts });
    await engine.start();
    backends[0]!.emit!({ type: 'user-turn', itemId: 'u1', clipMs: 800 });
    backends[0]!.emit!({ type: 'user-transcript-done', itemId: 'u1', text: 'Hello?' });
    backends[0]!.emit!({ type: 'assistant-text-done', itemId: 'a1', text: 'Hi.' });
    await engine.applySettings({ ...settings(null), instructions: 'Be brief.' }, 'k');
    expect(backends).toHaveLength(2);
    expect(backends[1]!.conversation.lines.map((line) => line.text)).toEqual(['Hello?', 'Hi.']);
    expect(engine.lines.map((line) => line.text)).toEqual(['Hello?', 'Hi.']);
    await engine.dispose();
  });

  it('continuing a conversation replaces the lines and tells the backend; clearing empties them', async () => {
    const { parts, backends } = standInParts();
    const engine = new ParleyEngine({ settings: settings(null), apiKey: 'k', log: () => undefined, factory: parts });
    await engine.start();
    backends[0]!.emit!({ type: 'assistant-text-done', itemId: 'a1', text: 'Today.' });
    const earlier = [{ itemId: 'history:1:u', role: 'user' as const, text: 'Earlier question', final: true, interrupted: false }];
    engine.continueConversation(earlier);
    expect(engine.lines).toEqual(earlier);
    expect(backends[0]!.conversation.lines).toEqual(earlier);
    expect(backends[0]!.replaced).toBe(1);
    engine.clearConversation();
    expect(engine.lines).toEqual([]);
    expect(backends[0]!.replaced).toBe(2);
    await engine.dispose();
  });
});
