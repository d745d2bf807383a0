import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engine-events';
import type { Microphone, MicFramesListener, Speaker } from '../../../src/main/audio/mic-and-speaker';
import type { BackendListener, VoiceBackend } from '../../../src/main/backends/voice-backend';
import { Conversation } from '../../../src/main/session/conversation';
import { VoiceSession } from '../../../src/main/session/voice-session';

/*
 * Stand-ins, and why: these tests are about the session's own decisions (what a tap is, what
 * a press during the post-roll does), which must not depend on a machine's timing. The real
 * mic, speaker, key and server run the same turns in test/devices/e2e.
 */
const RATE = 24_000;

class StandInMic implements Partial<Microphone> {
  isOpen = true;
  isListening = false;
  private listener: MicFramesListener | null = null;
  open = async () => undefined;
  close = async () => undefined;
  onFrames = (listener: MicFramesListener) => ((this.listener = listener), () => (this.listener = null));
  onError = () => () => undefined;
  setListening = (active: boolean) => void (this.isListening = active);
  takeRecent = () => ({ pcm: new Int16Array(0), capturedAt: 0 });
  /** `ms` of a loud ramp (speech) or of digital silence (a quiet room), stamped `at`. */
  deliver(ms: number, at: number, loud = true): void {
    const pcm = new Int16Array((RATE * ms) / 1000);
    if (loud) for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 37) % 20_000;
    if (this.isListening) this.listener?.(pcm, at);
  }
}

function standInSpeaker(): Speaker {
  return {
    isOpen: true,
    isPlaying: false,
    open: async () => undefined,
    play: () => undefined,
    stop: () => null,
    onPlaybackStarted: () => () => undefined,
    onDrained: () => () => undefined,
    onError: () => () => undefined,
    dispose: async () => undefined,
  };
}

function setUp(postRollMs = 250) {
  const calls: string[] = [];
  let emitBackend: BackendListener = () => undefined;
  const backend = {
    connect: async () => undefined,
    startTurn: () => calls.push('startTurn'),
    appendAudio: () => undefined,
    finishTurn: () => calls.push('finishTurn'),
    cancelTurn: () => calls.push('cancelTurn'),
    interrupt: () => calls.push('interrupt'),
    retryLastTurn: () => false,
    replaceConversation: () => undefined,
    on: (listener: BackendListener) => ((emitBackend = listener), () => undefined),
    dispose: async () => undefined,
  } as unknown as VoiceBackend;
  const mic = new StandInMic();
  const events: EngineEvent[] = [];
  const session = new VoiceSession({
    backend,
    mic: mic as unknown as Microphone,
    speaker: standInSpeaker(),
    capture: { talkMode: 'hold', preRollMs: 300, postRollMs, keepMicWarm: true, maxHoldMs: 300_000 },
    conversation: new Conversation((event) => events.push(event)),
    emit: (event) => events.push(event),
    log: () => undefined,
  });
  emitBackend({ type: 'connection', status: 'ready' });
  const states = () => events.flatMap((event) => (event.type === 'state' ? [event.state] : []));
  return { session, mic, calls, states };
}

describe('VoiceSession: taps are judged by the key', () => {
  it.each([40, 60, 90])('a %i ms tap sends nothing, however late its release is handled', (heldMs) => {
    const { session, mic, calls, states } = setUp();
    session.press();
    mic.deliver(100, 100);
    // The release is handled 50 ms after the key-up (auto-repeat settle): still a tap.
    session.release({ heldMs, releasedAt: 100 });
    expect(calls).toEqual(['startTurn', 'cancelTurn']);
    expect(states().at(-1)).toBe('idle');
  });

  it('a 150 ms hold commits', () => {
    const { session, mic, calls } = setUp();
    session.press();
    mic.deliver(100, 100);
    session.release({ heldMs: 150, releasedAt: 150 });
    mic.deliver(300, 450, false);
    expect(calls).toEqual(['startTurn', 'finishTurn']);
  });

  it('rapid taps commit nothing and leave the session idle', () => {
    const { session, mic, calls, states } = setUp();
    for (let tap = 0; tap < 60; tap++) {
      session.press();
      mic.deliver(40, tap * 120 + 40);
      session.release({ heldMs: 40, releasedAt: tap * 120 + 40 });
    }
    expect(calls.filter((call) => call === 'finishTurn')).toEqual([]);
    expect(states().at(-1)).toBe('idle');
  });

  it('a stray tap during a turn\'s post-roll does not throw the turn away', () => {
    const { session, mic, calls } = setUp();
    session.press();
    mic.deliver(1_000, 1_000);
    session.release({ heldMs: 1_000, releasedAt: 1_000 });
    mic.deliver(100, 1_100); // still speaking: the post-roll goes on
    session.press();
    session.release({ heldMs: 30, releasedAt: 1_130 });
    expect(calls).toEqual(['startTurn']);
    mic.deliver(200, 1_330, false);
    expect(calls).toEqual(['startTurn', 'finishTurn']);
  });

  it('a real hold with under 100 ms of audio is dropped, never committed', () => {
    const { session, mic, calls, states } = setUp(0);
    session.press();
    mic.deliver(60, 60);
    session.release({ heldMs: 150, releasedAt: 60 });
    expect(calls).toEqual(['startTurn', 'cancelTurn']);
    expect(states().at(-1)).toBe('idle');
  });

  it('a hold with 100 ms of audio commits', () => {
    const { session, mic, calls } = setUp(0);
    session.press();
    mic.deliver(100, 100);
    session.release({ heldMs: 150, releasedAt: 100 });
    expect(calls).toEqual(['startTurn', 'finishTurn']);
  });
});

describe('VoiceSession: a new talk mode applies from the next press', () => {
  it('after a switch to toggle, a tap starts a turn and the next tap sends it', () => {
    const { session, mic, calls, states } = setUp(0);
    session.setCapture({ talkMode: 'toggle', preRollMs: 300, postRollMs: 0, keepMicWarm: true, maxHoldMs: 300_000 });
    session.press();
    mic.deliver(200, 200);
    session.release({ heldMs: 40, releasedAt: 40 });
    expect(calls).toEqual(['startTurn']);
    expect(states().at(-1)).toBe('listening');
    session.press(240);
    session.release({ heldMs: 40, releasedAt: 280 });
    mic.deliver(20, 260);
    expect(calls).toEqual(['startTurn', 'finishTurn']);
    session.dispose();
  });

  it('after a switch back to hold, a tap sends nothing', () => {
    const { session, mic, calls } = setUp(0);
    session.setCapture({ talkMode: 'toggle', preRollMs: 300, postRollMs: 0, keepMicWarm: true, maxHoldMs: 300_000 });
    session.setCapture({ talkMode: 'hold', preRollMs: 300, postRollMs: 0, keepMicWarm: true, maxHoldMs: 300_000 });
    session.press();
    mic.deliver(100, 100);
    session.release({ heldMs: 40, releasedAt: 40 });
    expect(calls).toEqual(['startTurn', 'cancelTurn']);
  });
});
