import type { AssistantState } from '../../shared/engine-events';
import { recoveryOf } from '../../shared/error-policy';
import { MIN_TURN_SAMPLES, type BackendEvent } from '../backends/voice-backend';
import { UserFacingError } from '../user-facing-error';
import type { SessionEffect, SessionInput, SessionState } from './session-state';

export { INITIAL_SESSION_STATE, type SessionEffect, type SessionInput, type SessionState } from './session-state';

/**
 * The push-to-talk session as data: one state value, and a pure function from (state, input)
 * to the next state and the effects to carry out. VoiceSession only applies the effects, so
 * every rule below is tested without devices (test/unit/session/session-transitions.test.ts).
 */

/**
 * Shorter presses are accidental taps (hold mode only). The API refuses turns under 100 ms;
 * the margin above that is for the key itself: a 90 ms tap through a busy X server was stamped 106 ms.
 */
export const MIN_HOLD_MS = 125;

export interface Transition {
  state: SessionState;
  effects: SessionEffect[];
}

export function transition(state: SessionState, input: SessionInput): Transition {
  const next = { ...state };
  const effects: SessionEffect[] = [];
  switch (input.type) {
    case 'press':
      press(next, effects, input.at, input.micProblem ?? null);
      break;
    case 'release':
      release(next, effects, input.heldMs, input.releasedAt);
      break;
    case 'recording-limit':
      if (next.turn === 'recording' && next.mode === 'toggle') endTurn(next, effects, input.at);
      break;
    case 'cancel':
      if (next.turn !== 'none') {
        effects.push({ type: 'drop-turn' }, { type: 'disarm-recording-limit' }, { type: 'stop-listening' }, { type: 'log', message: 'turn cancelled: nothing sent' });
        next.turn = 'none';
        next.activity = resting(next);
      }
      break;
    case 'tail-finished':
      next.turn = 'none';
      effects.push({ type: 'stop-listening' });
      if (!input.liveAudio) {
        // Only audio from before the key went down, or none: sending it would answer a question never asked.
        effects.push({ type: 'drop-turn' }, { type: 'report', error: input.micProblem ?? silentMicError() });
        next.activity = resting(next);
      } else if (input.turnSamples < MIN_TURN_SAMPLES) {
        // The one place the 100 ms rule is applied: less audio is no question, and the API refuses it.
        effects.push({ type: 'drop-turn' }, { type: 'log', message: 'turn under 100 ms: nothing sent' });
        next.activity = resting(next);
      } else {
        effects.push({ type: 'commit-turn' });
        next.activity = 'thinking';
      }
      break;
    case 'retry-started':
      if (next.activity !== 'listening') next.activity = 'thinking';
      break;
    case 'backend':
      onBackend(next, effects, input.event, input.speakerPlaying);
      break;
    case 'speaker-drained':
      // The end of playback ends only 'speaking': while thinking, a sent turn awaits its answer
      // (the last reply's audio may drain after the next question went out).
      if (next.activity === 'speaking') settle(next, false);
      break;
    case 'tool':
      // A slow tool must not look like dead air: say which state we are in while it works.
      next.toolsRunning = Math.max(0, next.toolsRunning + (input.status === 'running' ? 1 : -1));
      if (next.activity !== 'listening' && (next.responseActive || next.toolsRunning > 0)) next.activity = next.toolsRunning > 0 ? 'using-tool' : 'thinking';
      break;
    case 'connect-failed':
      reportError(next, effects, input.error);
      break;
    case 'device-error':
      effects.push({ type: 'report', error: input.error });
      if (input.device === 'speaker') settle(next, false);
      break;
    case 'conversation-replaced':
      // Whatever was being answered belonged to the old conversation: it stops, and the
      // backend starts again from the new one. A turn being recorded goes on.
      effects.push({ type: 'stop-playback' }, { type: 'replace-conversation' });
      next.responseActive = false;
      next.toolsRunning = 0;
      settle(next, false);
      break;
    case 'mode':
      next.mode = input.mode;
      break;
  }
  if (next.activity !== state.activity) effects.push({ type: 'state', state: next.activity });
  return { state: next, effects };
}

function press(next: SessionState, effects: SessionEffect[], at: number, micProblem: UserFacingError | null): void {
  if (next.key === 'down') return;
  // Recording would go nowhere: say again why, instead of pretending to listen.
  const refusal = next.blocked ?? (next.turn === 'none' ? micProblem : null);
  if (refusal) {
    effects.push({ type: 'report', error: refusal });
    return;
  }
  next.key = 'down';
  next.pressInterrupted = false;
  const replying = next.responseActive || next.toolsRunning > 0 || ['thinking', 'speaking', 'using-tool'].includes(next.activity);
  if (replying) {
    effects.push({ type: 'interrupt' });
    next.responseActive = false;
    next.toolsRunning = 0;
    if (next.mode === 'toggle' && next.turn === 'none') {
      // In toggle mode a tap that interrupts only interrupts: the next tap starts listening.
      next.pressInterrupted = true;
      next.activity = resting(next);
      return;
    }
  }
  if (next.mode === 'toggle' && next.turn === 'recording') {
    endTurn(next, effects, at);
    return;
  }
  next.pressContinuesTurn = next.turn !== 'none';
  if (next.turn === 'none') effects.push({ type: 'start-turn' });
  effects.push({ type: 'listen' });
  if (next.mode === 'toggle') effects.push({ type: 'arm-recording-limit' });
  next.turn = 'recording';
  next.activity = 'listening';
}

function release(next: SessionState, effects: SessionEffect[], heldMs: number, releasedAt: number): void {
  if (next.key === 'up') return;
  next.key = 'up';
  // Toggle mode: the key-up of a tap means nothing; the turn runs until the next tap.
  if (next.mode === 'toggle' || next.turn !== 'recording') return;
  if (heldMs >= MIN_HOLD_MS) {
    effects.push({ type: 'log', message: `key held ${Math.round(heldMs)} ms` });
    endTurn(next, effects, releasedAt);
  } else if (next.pressContinuesTurn) {
    // A stray tap during the last turn's post-roll: that turn ends as it was going to.
    endTurn(next, effects, releasedAt);
  } else {
    effects.push({ type: 'drop-turn' }, { type: 'stop-listening' }, { type: 'ready-speaker' });
    effects.push({ type: 'log', message: `tap of ${Math.round(heldMs)} ms (under ${MIN_HOLD_MS} ms): nothing sent` });
    next.turn = 'none';
    next.activity = resting(next);
  }
}

function endTurn(next: SessionState, effects: SessionEffect[], releasedAt: number): void {
  // The output gets ready before the reply can arrive (a reopen takes milliseconds), but not
  // at key-down: an open, silent output costs CPU for the whole hold.
  effects.push({ type: 'disarm-recording-limit' }, { type: 'ready-speaker' }, { type: 'end-turn', releasedAt });
  next.turn = 'tail';
}

function onBackend(next: SessionState, effects: SessionEffect[], event: BackendEvent, speakerPlaying: boolean): void {
  const listening = next.activity === 'listening';
  switch (event.type) {
    case 'connection':
      next.connection = event.status;
      if (event.status === 'ready') next.blocked = null;
      if (['connecting', 'idle', 'error'].includes(next.activity)) next.activity = resting(next);
      return;
    case 'user-turn':
    case 'user-transcript':
    case 'user-transcript-done':
    case 'assistant-text':
    case 'assistant-text-done':
    case 'assistant-text-heard':
      effects.push({ type: 'record', event });
      return;
    case 'response-started':
      // The speaker closes itself after a few idle seconds (a slow tool, a slow server): open it
      // now, so a fresh stream's start-up underrun storm (see OutputDeviceStream) is over before
      // the reply's audio arrives; the audio would wait it out either way.
      effects.push({ type: 'ready-speaker' });
      next.responseActive = true;
      if (!listening) next.activity = 'thinking';
      return;
    case 'assistant-audio':
      effects.push({ type: 'record', event });
      if (!listening) next.activity = 'speaking';
      return;
    case 'response-done':
      next.responseActive = false;
      next.toolsRunning = 0;
      effects.push({ type: 'record', event });
      settle(next, speakerPlaying);
      return;
    case 'error':
      return reportError(next, effects, event.error);
  }
}

/**
 * Every error is said; one the session cannot get past by retrying (ERROR_POLICY) blocks turns
 * until the settings change, and ends any response in progress.
 */
function reportError(next: SessionState, effects: SessionEffect[], error: UserFacingError): void {
  effects.push({ type: 'report', error });
  if (recoveryOf(error.code) !== 'retry') {
    next.blocked = error;
    next.responseActive = false;
    if (next.activity !== 'listening') next.activity = 'error';
  } else if (next.activity === 'thinking' && !next.responseActive) {
    next.activity = resting(next);
  }
}

/** After a reply: rest once nothing more is coming and the speaker has played it all out. */
function settle(next: SessionState, speakerPlaying: boolean): void {
  if (next.responseActive || next.activity === 'listening' || speakerPlaying) return;
  if (['speaking', 'thinking', 'using-tool'].includes(next.activity)) next.activity = resting(next);
}

export function silentMicError(): UserFacingError {
  return new UserFacingError(
    'mic-unavailable',
    'The microphone sent no sound while you held the key, so nothing was sent. Check that it is plugged in and switched on, or pick another input in Settings.',
    { text: { key: 'errors.microphone.silentWhileHeld' } },
  );
}

function resting(state: SessionState): AssistantState {
  if (state.blocked) return 'error';
  return state.connection === 'ready' ? 'idle' : 'connecting';
}
