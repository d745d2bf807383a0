import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseHotkey } from '../../../src/main/hotkey/hotkey-combo';
import type { KeyboardHook, KeyboardHookEvent } from '../../../src/main/hotkey/keyboard-hook';
import { KEY_UP_SETTLE_MS, PushToTalkKey, type KeyRelease, type SetTimer } from '../../../src/main/hotkey/push-to-talk-key';

/*
 * Stand-ins, and why: a real keyboard under Xvfb (test/devices/hotkey) covers presses,
 * releases, auto-repeat, combos and a throwing listener. What it cannot do quickly is a
 * five-minute hold or auto-repeat arriving after one, so here a KeyboardHook stand-in
 * delivers the events and an injected clock and timer stand in for the passage of time.
 */
class StandInHook extends EventEmitter implements KeyboardHook {
  started = 0;
  stopped = 0;
  start(): void {
    this.started++;
  }
  stop(): void {
    this.stopped++;
  }
  down(keycode: number, held: Partial<KeyboardHookEvent> = {}): void {
    this.emit('keydown', { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...held });
  }
  up(keycode: number, held: Partial<KeyboardHookEvent> = {}): void {
    this.emit('keyup', { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...held });
  }
}

class ManualClock {
  time = 0;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  readonly now = (): number => this.time;
  readonly setTimer: SetTimer = (callback, ms) => {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  };
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= this.time);
    this.timers = this.timers.filter((timer) => !due.includes(timer));
    for (const timer of due) timer.callback();
  }
}

const F9 = 67;

async function setUp(maxHoldMs = 300_000) {
  const hook = new StandInHook();
  const clock = new ManualClock();
  const warnings: string[] = [];
  const key = new PushToTalkKey({
    hook,
    combo: parseHotkey('F9'),
    maxHoldMs,
    log: (message: string) => warnings.push(message),
    now: clock.now,
    setTimer: clock.setTimer,
  });
  const events: string[] = [];
  const releases: KeyRelease[] = [];
  key.onPress(() => events.push('press'));
  key.onRelease((release: KeyRelease) => {
    events.push(`release:${release.reason}`);
    releases.push(release);
  });
  await key.start();
  return { hook, clock, key, events, releases, warnings };
}

describe('PushToTalkKey, where time or failure must be simulated', () => {
  it('releases itself when held past the limit, and only once', async () => {
    const { hook, clock, key, events, warnings } = await setUp(300_000);
    hook.down(F9);
    clock.advance(299_999);
    expect(events).toEqual(['press']);
    clock.advance(1);
    expect(events).toEqual(['press', 'release:safety-limit']);
    expect(key.isHeld).toBe(false);
    expect(warnings[0]).toContain('held past 300 s');
    hook.up(F9);
    expect(events).toEqual(['press', 'release:safety-limit']);
  });

  it('after the limit, the same hold auto-repeating does not press again; a fresh press later does', async () => {
    const { hook, clock, events } = await setUp(10_000);
    hook.down(F9);
    for (let t = 0; t < 10_000; t += 40) {
      clock.advance(40);
      hook.down(F9);
    }
    expect(events).toEqual(['press', 'release:safety-limit']);
    // The key-up was lost (say, to a grab); the user presses again after a pause.
    clock.advance(5_000);
    hook.down(F9);
    expect(events).toEqual(['press', 'release:safety-limit', 'press']);
  });

  it('a release before the limit cancels the safety timer', async () => {
    const { hook, clock, events } = await setUp(1_000);
    hook.down(F9);
    hook.up(F9);
    clock.advance(KEY_UP_SETTLE_MS);
    clock.advance(5_000);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('a listener that throws is logged; other listeners and later presses still run', async () => {
    const { hook, clock, key, events, warnings } = await setUp();
    key.onPress(() => {
      throw new Error('listener bug');
    });
    expect(() => hook.down(F9)).not.toThrow();
    expect(() => hook.up(F9)).not.toThrow();
    clock.advance(KEY_UP_SETTLE_MS);
    hook.down(F9);
    hook.up(F9);
    clock.advance(KEY_UP_SETTLE_MS);
    expect(events).toEqual(['press', 'release:key-up', 'press', 'release:key-up']);
    expect(warnings.filter((line) => line.includes('press listener threw') && line.includes('listener bug'))).toHaveLength(2);
  });

  it('an X11 auto-repeat pair (key-up then key-down at once) does not end the hold; a real key-up does', async () => {
    const { hook, clock, events } = await setUp();
    hook.down(F9);
    for (let repeat = 0; repeat < 10; repeat++) {
      clock.advance(40);
      hook.up(F9);
      hook.down(F9);
    }
    clock.advance(1_000);
    expect(events).toEqual(['press']);
    hook.up(F9);
    clock.advance(KEY_UP_SETTLE_MS - 1);
    expect(events).toEqual(['press']);
    clock.advance(1);
    expect(events).toEqual(['press', 'release:key-up']);
  });

  it('a key-up and a new press handled together after a stall are two holds when the OS stamps them apart', async () => {
    const { hook, clock, events, releases } = await setUp();
    hook.down(F9, { time: 10_000 });
    clock.advance(40);
    // The loop was busy: the tap's key-up and the next key-down, 80 ms later by their stamps, arrive together.
    hook.up(F9, { time: 10_040 });
    hook.down(F9, { time: 10_120 });
    expect(events).toEqual(['press', 'release:key-up', 'press']);
    expect(releases[0]?.heldMs).toBe(40);
    // Stamped together, as an auto-repeat pair is, they are one hold.
    clock.advance(100);
    hook.up(F9, { time: 10_220 });
    hook.down(F9, { time: 10_220 });
    clock.advance(1_000);
    expect(events).toEqual(['press', 'release:key-up', 'press']);
  });

  it('forceRelease ends a hold whose key-up never comes, and the next press after unlock works', async () => {
    const { hook, clock, key, events } = await setUp();
    hook.down(F9);
    key.forceRelease('session-locked');
    clock.advance(30_000);
    hook.down(F9);
    expect(events).toEqual(['press', 'release:session-locked', 'press']);
  });

  it('dispose releases a hold and gives back its share of the hook', async () => {
    const { hook, key, events } = await setUp();
    hook.down(F9);
    key.dispose();
    hook.up(F9);
    hook.down(F9);
    expect(events).toEqual(['press', 'release:disposed']);
    expect([hook.started, hook.stopped]).toEqual([1, 1]);
    expect(hook.listenerCount('keydown') + hook.listenerCount('keyup')).toBe(0);
  });

  it('times the hold by the key events, not by the auto-repeat settle or a late callback', async () => {
    const { hook, clock, releases } = await setUp();
    clock.advance(1_000);
    hook.down(F9, { time: 5_000 });
    // The event loop was busy: the key-up event is 60 ms after the key-down, but reaches us 200 ms later.
    clock.advance(200);
    hook.up(F9, { time: 5_060 });
    clock.advance(KEY_UP_SETTLE_MS);
    expect(releases).toEqual([{ reason: 'key-up', heldMs: 60, releasedAt: 1_200 }]);
  });

  it('without event times, times the hold from the key-down to the key-up as they arrived, settle excluded', async () => {
    const { hook, clock, releases } = await setUp();
    hook.down(F9);
    clock.advance(70);
    hook.up(F9);
    clock.advance(KEY_UP_SETTLE_MS);
    expect(releases).toEqual([{ reason: 'key-up', heldMs: 70, releasedAt: 70 }]);
  });

  it('a forced release is timed when it happens', async () => {
    const { hook, clock, key, releases } = await setUp();
    hook.down(F9, { time: 100 });
    clock.advance(3_000);
    key.forceRelease('suspended');
    expect(releases).toEqual([{ reason: 'suspended', heldMs: 3_000, releasedAt: 3_000 }]);
  });
});

describe("PushToTalkKey on Node's own timers", () => {
  // The hook's events come from its own thread, through the event loop's I/O; a MessagePort
  // delivers the same way, so it stands in for that thread here.
  it('a repeat key-down that arrived during a stall longer than the settle still keeps the hold', async () => {
    const hook = new StandInHook();
    const key = new PushToTalkKey({ hook, combo: parseHotkey('F9'), maxHoldMs: 300_000, log: () => undefined });
    const events: string[] = [];
    key.onPress(() => events.push('press'));
    key.onRelease((release: KeyRelease) => events.push(`release:${release.reason}`));
    await key.start();
    const { port1: hookThread, port2: loop } = new MessageChannel();
    loop.on('message', (type: 'down' | 'up') => (type === 'down' ? hook.down(F9) : hook.up(F9)));
    try {
      hook.down(F9);
      // From a setImmediate callback, the next turn of the loop runs due timers before I/O.
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          hook.up(F9); // the first half of an auto-repeat pair
          hookThread.postMessage('down'); // the second half, queued as I/O
          const stallUntil = performance.now() + KEY_UP_SETTLE_MS + 30;
          while (performance.now() < stallUntil); // the loop is busy past the settle
          resolve();
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, KEY_UP_SETTLE_MS * 3));
      expect(events).toEqual(['press']);
      hookThread.postMessage('up');
      await new Promise((resolve) => setTimeout(resolve, KEY_UP_SETTLE_MS * 3));
      expect(events).toEqual(['press', 'release:key-up']);
    } finally {
      loop.close();
      key.dispose();
    }
  });
});
