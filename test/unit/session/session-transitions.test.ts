import { describe, expect, it } from 'vitest';
import { MIN_TURN_SAMPLES, type BackendEvent } from '../../../src/main/backends/voice-backend';
import { INITIAL_SESSION_STATE, MIN_HOLD_MS, transition, type SessionEffect, type SessionInput, type SessionState } from '../../../src/main/session/session-transitions';
import { UserFacingError } from '../../../src/main/user-facing-error';

// The session's rules as a pure function: each test feeds inputs and reads state and effects.
const ready: SessionState = { ...INITIAL_SESSION_STATE, activity: 'idle', connection: 'ready' };

function run(state: SessionState, ...inputs: SessionInput[]): { state: SessionState; effects: SessionEffect[] } {
  let current = state;
  const effects: SessionEffect[] = [];
  for (const input of inputs) {
    const next = transition(current, input);
    current = next.state;
    effects.push(...next.effects);
  }
  return { state: current, effects };
}

const kinds = (effects: SessionEffect[]) => effects.map((effect) => effect.type);
const backend = (event: BackendEvent, speakerPlaying = false): SessionInput => ({ type: 'backend', event, speakerPlaying });
const press = (at = 0): SessionInput => ({ type: 'press', at });
const release = (heldMs: number, releasedAt = heldMs): SessionInput => ({ type: 'release', heldMs, releasedAt });
const auth = new UserFacingError('auth', 'Your API key was rejected.');
const flaky = new UserFacingError('server', 'The server had a problem. Try again.');

describe('session transitions: hold mode', () => {
  it('press starts a turn and listens', () => {
    const { state, effects } = run(ready, press());
    expect(state).toMatchObject({ activity: 'listening', key: 'down', turn: 'recording' });
    expect(kinds(effects)).toEqual(['start-turn', 'listen', 'state']);
  });

  it('a second key-down while held (auto-repeat that got through) changes nothing', () => {
    const held = run(ready, press()).state;
    expect(run(held, press())).toEqual({ state: held, effects: [] });
  });

  it('release after a real hold ends the turn at the key-up time; the tail then commits', () => {
    const held = run(ready, press());
    const released = run(held.state, release(MIN_HOLD_MS + 500, 1234));
    expect(released.state).toMatchObject({ turn: 'tail', key: 'up', activity: 'listening' });
    expect(released.effects).toContainEqual({ type: 'end-turn', releasedAt: 1234 });
    expect(kinds(released.effects)).toContain('ready-speaker');
    const committed = run(released.state, { type: 'tail-finished', liveAudio: true, turnSamples: MIN_TURN_SAMPLES });
    expect(committed.state).toMatchObject({ turn: 'none', activity: 'thinking' });
    expect(kinds(committed.effects)).toEqual(['stop-listening', 'commit-turn', 'state']);
  });

  it('a tap under the minimum hold drops the turn and rests', () => {
    const { state, effects } = run(ready, press(), release(MIN_HOLD_MS - 1));
    expect(state).toMatchObject({ turn: 'none', activity: 'idle' });
    expect(kinds(effects)).toContain('drop-turn');
    expect(kinds(effects)).not.toContain('end-turn');
  });

  it('a press during the post-roll carries the turn on, and a stray tap then keeps it', () => {
    const inTail = run(ready, press(), release(1000)).state;
    const again = run(inTail, press());
    expect(kinds(again.effects)).toEqual(['listen']); // no new turn
    expect(again.state.pressContinuesTurn).toBe(true);
    const tapped = run(again.state, release(30));
    expect(kinds(tapped.effects)).toContain('end-turn');
    expect(kinds(tapped.effects)).not.toContain('drop-turn');
  });

  it('a turn with under 100 ms of audio is dropped, and rests instead of thinking', () => {
    const { state, effects } = run(ready, press(), release(1000), { type: 'tail-finished', liveAudio: true, turnSamples: MIN_TURN_SAMPLES - 1 });
    expect(state.activity).toBe('idle');
    expect(effects).toContainEqual({ type: 'log', message: 'turn under 100 ms: nothing sent' });
    expect(kinds(effects)).toContain('drop-turn');
    expect(kinds(effects)).not.toContain('commit-turn');
  });

  it('pressing during a reply interrupts it, then listens', () => {
    const speaking = run(ready, backend({ type: 'response-started' }), backend({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(10) })).state;
    expect(speaking.activity).toBe('speaking');
    const { state, effects } = run(speaking, press());
    expect(kinds(effects)).toEqual(['interrupt', 'start-turn', 'listen', 'state']);
    expect(state).toMatchObject({ activity: 'listening', responseActive: false });
  });

  it('pressing while thinking (no audio yet) interrupts too', () => {
    const thinking = run(ready, backend({ type: 'response-started' })).state;
    expect(kinds(run(thinking, press()).effects)[0]).toBe('interrupt');
  });

  it('release with the key already up (a forced release after a key-up) does nothing', () => {
    expect(run(ready, release(500)).effects).toEqual([]);
  });

  it('Escape cancels a turn being recorded: nothing is sent', () => {
    const { state, effects } = run(ready, press(), { type: 'cancel' });
    expect(kinds(effects)).toContain('drop-turn');
    expect(state).toMatchObject({ turn: 'none', activity: 'idle' });
    expect(run(ready, { type: 'cancel' }).effects).toEqual([]);
  });
});

describe('session transitions: toggle mode', () => {
  const toggle: SessionState = { ...ready, mode: 'toggle' };

  it('a tap starts listening and arms the recording limit; its key-up changes nothing', () => {
    const { state, effects } = run(toggle, press(), release(40));
    expect(state).toMatchObject({ activity: 'listening', turn: 'recording', key: 'up' });
    expect(kinds(effects)).toEqual(['start-turn', 'listen', 'arm-recording-limit', 'state']);
  });

  it('the next tap sends, from the moment it was pressed', () => {
    const listening = run(toggle, press(), release(40)).state;
    const { state, effects } = run(listening, press(5000), release(60));
    expect(effects).toContainEqual({ type: 'end-turn', releasedAt: 5000 });
    expect(kinds(effects)).toContain('disarm-recording-limit');
    expect(state.turn).toBe('tail');
  });

  it('a tap during a reply only interrupts; Parley rests and the next tap listens', () => {
    const speaking = run(toggle, backend({ type: 'response-started' }), backend({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(10) })).state;
    const interrupted = run(speaking, press(), release(50));
    expect(kinds(interrupted.effects)).toEqual(['interrupt', 'state']);
    expect(interrupted.state).toMatchObject({ activity: 'idle', turn: 'none' });
    expect(run(interrupted.state, press()).state.activity).toBe('listening');
  });

  it('the recording limit sends a forgotten recording', () => {
    const listening = run(toggle, press(), release(40)).state;
    const { effects } = run(listening, { type: 'recording-limit', at: 9000 });
    expect(effects).toContainEqual({ type: 'end-turn', releasedAt: 9000 });
  });

  it('no accidental-tap rule: a short tap is the normal way to start', () => {
    expect(kinds(run(toggle, press(), release(10)).effects)).not.toContain('drop-turn');
  });

  it('switching mode applies to the next press', () => {
    const { state } = run(ready, { type: 'mode', mode: 'toggle' }, press(), release(40));
    expect(state.turn).toBe('recording');
  });
});

describe('session transitions: backend events', () => {
  it('connection: connecting until ready, then idle; a drop shows connecting again', () => {
    const start = INITIAL_SESSION_STATE;
    const up = run(start, backend({ type: 'connection', status: 'ready' }));
    expect(up.state.activity).toBe('idle');
    expect(run(up.state, backend({ type: 'connection', status: 'closed' })).state.activity).toBe('connecting');
  });

  it('user lines and reply text go to the conversation as effects', () => {
    const { effects } = run(
      ready,
      backend({ type: 'user-turn', itemId: 'u', clipMs: 900 }),
      backend({ type: 'user-transcript', itemId: 'u', delta: 'Hi' }),
      backend({ type: 'user-transcript-done', itemId: 'u', text: 'Hi' }),
      backend({ type: 'assistant-text', itemId: 'a', delta: 'Hel' }),
      backend({ type: 'assistant-text-done', itemId: 'a', text: 'Hello' }),
      backend({ type: 'assistant-text-heard', itemId: 'a', text: 'He' }),
    );
    expect(kinds(effects)).toEqual(['record', 'record', 'record', 'record', 'record', 'record']);
  });

  it('response-done rests only once the speaker has played everything', () => {
    const speaking = run(ready, backend({ type: 'response-started' }), backend({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(1) })).state;
    const done = run(speaking, backend({ type: 'response-done', status: 'completed' }, true));
    expect(done.state.activity).toBe('speaking');
    expect(done.effects).toContainEqual({ type: 'record', event: { type: 'response-done', status: 'completed' } });
    expect(run(done.state, { type: 'speaker-drained' }).state.activity).toBe('idle');
  });

  it('a text-only reply rests at response-done', () => {
    const thinking = run(ready, backend({ type: 'response-started' })).state;
    expect(run(thinking, backend({ type: 'response-done', status: 'completed' })).state.activity).toBe('idle');
  });

  it('a reply that arrives while the user holds the key does not leave listening', () => {
    const listening = run(ready, press()).state;
    const after = run(listening, backend({ type: 'response-started' }), backend({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(1) }));
    expect(after.state.activity).toBe('listening');
  });

  it('retry shows thinking', () => {
    expect(run(ready, { type: 'retry-started' }).state.activity).toBe('thinking');
  });
});

describe('session transitions: errors, by the error policy', () => {
  it('an error that needs new settings blocks: error state, and a press repeats it instead of listening', () => {
    const blocked = run(ready, backend({ type: 'error', error: auth }));
    expect(blocked.state).toMatchObject({ activity: 'error', blocked: auth });
    const pressed = run(blocked.state, press());
    expect(pressed.effects).toEqual([{ type: 'report', error: auth }]);
    expect(pressed.state.key).toBe('up');
  });

  it('a working connection clears the block (new settings were applied)', () => {
    const blocked = run(ready, backend({ type: 'error', error: auth })).state;
    expect(run(blocked, backend({ type: 'connection', status: 'ready' })).state).toMatchObject({ activity: 'idle', blocked: null });
  });

  it('an error that may pass is reported; thinking with no response rests', () => {
    const thinking = run(ready, { type: 'retry-started' }).state;
    const { state, effects } = run(thinking, backend({ type: 'error', error: flaky }));
    expect(effects[0]).toEqual({ type: 'report', error: flaky });
    expect(state.activity).toBe('idle');
  });

  it('a connect failure that retry can fix keeps connecting; one that cannot blocks', () => {
    const unreachable = new UserFacingError('unreachable', 'No answer.');
    expect(run(INITIAL_SESSION_STATE, { type: 'connect-failed', error: unreachable }).state.activity).toBe('connecting');
    expect(run(INITIAL_SESSION_STATE, { type: 'connect-failed', error: auth }).state).toMatchObject({ activity: 'error', blocked: auth });
  });

  it('an expired session is not fatal: the renewed connection brings it back at once', () => {
    const expired = new UserFacingError('session-expired', 'The session reached its limit.');
    const after = run(ready, backend({ type: 'error', error: expired }), backend({ type: 'connection', status: 'closed' }), backend({ type: 'connection', status: 'ready' }));
    expect(after.state.activity).toBe('idle');
    expect(after.state.blocked).toBeNull();
  });
});

describe('session transitions: a microphone that stopped delivering', () => {
  const gone = new UserFacingError('mic-unavailable', 'The microphone stopped sending sound.');

  it('a press says why instead of listening', () => {
    const { state, effects } = run(ready, { type: 'press', at: 0, micProblem: gone });
    expect(effects).toEqual([{ type: 'report', error: gone }]);
    expect(state.activity).toBe('idle');
  });

  it('a turn with no live audio after the key went down sends nothing (only stale pre-roll), and says why', () => {
    const { state, effects } = run(ready, press(), release(1000), { type: 'tail-finished', liveAudio: false, turnSamples: MIN_TURN_SAMPLES, micProblem: gone });
    expect(kinds(effects)).toContain('drop-turn');
    expect(kinds(effects)).not.toContain('commit-turn');
    expect(effects).toContainEqual({ type: 'report', error: gone });
    expect(state.activity).toBe('idle');
  });

  it('without a known cause it still says the mic sent no sound', () => {
    const { effects } = run(ready, press(), release(1000), { type: 'tail-finished', liveAudio: false, turnSamples: MIN_TURN_SAMPLES });
    const report = effects.find((effect) => effect.type === 'report');
    expect(report).toMatchObject({ error: { code: 'mic-unavailable' } });
  });
});

describe('session transitions: the conversation and the devices', () => {
  it('the last reply draining while the next question awaits its answer does not end thinking', () => {
    const sent = run(ready, press(), release(1000), { type: 'tail-finished', liveAudio: true, turnSamples: MIN_TURN_SAMPLES }).state;
    expect(sent.activity).toBe('thinking');
    expect(run(sent, { type: 'speaker-drained' }).state.activity).toBe('thinking');
  });

  const speaking = run(ready, backend({ type: 'response-started' }), backend({ type: 'assistant-audio', itemId: 'a', pcm: new Int16Array(1) })).state;

  it('clearing or continuing during a reply stops the speaker, tells the backend, and rests', () => {
    const { state, effects } = run(speaking, { type: 'conversation-replaced' });
    expect(kinds(effects)).toEqual(['stop-playback', 'replace-conversation', 'state']);
    expect(state).toMatchObject({ activity: 'idle', responseActive: false });
  });

  it('clearing while a turn is being recorded leaves the turn alone', () => {
    const listening = run(ready, press()).state;
    const { state } = run(listening, { type: 'conversation-replaced' });
    expect(state).toMatchObject({ activity: 'listening', turn: 'recording' });
  });

  it('a speaker that fails mid-reply is reported, and the session does not stay speaking', () => {
    const failure = new UserFacingError('speaker-unavailable', 'The speaker stopped working.');
    const { state, effects } = run(speaking, backend({ type: 'response-done', status: 'completed' }, true), { type: 'device-error', device: 'speaker', error: failure });
    expect(effects).toContainEqual({ type: 'report', error: failure });
    expect(state.activity).toBe('idle');
  });

  it('a mic failure is reported and changes nothing else', () => {
    const failure = new UserFacingError('mic-unavailable', 'The microphone stopped sending sound.');
    const { state, effects } = run(speaking, { type: 'device-error', device: 'mic', error: failure });
    expect(kinds(effects)).toEqual(['report']);
    expect(state).toEqual(speaking);
  });
});
