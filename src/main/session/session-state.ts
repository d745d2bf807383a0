import type { AssistantState, ToolCallStatus } from '../../shared/engine-events';
import type { TalkMode } from '../../shared/settings';
import type { BackendEvent } from '../backends/voice-backend';
import type { UserFacingError } from '../user-facing-error';
import type { ConversationEvent } from './conversation';

/** The session's one state value, what can happen to it, and what it asks VoiceSession to do (session-transitions.ts has the rules). */

export interface SessionState {
  /** What the user is shown. */
  activity: AssistantState;
  connection: 'connecting' | 'ready' | 'closed';
  /** No turn can work until the settings change; a press says why again. */
  blocked: UserFacingError | null;
  key: 'up' | 'down';
  /** The turn being captured: none, recording, or in its post-roll after the key-up (or the second tap). */
  turn: 'none' | 'recording' | 'tail';
  /** The key is down over the last turn's post-roll: that turn goes on, and a stray tap keeps it. */
  pressContinuesTurn: boolean;
  /** Toggle mode: this press only interrupted a reply; its key-up and the pause after do nothing. */
  pressInterrupted: boolean;
  responseActive: boolean;
  /** Tool calls running for the current response. */
  toolsRunning: number;
  mode: TalkMode;
}

export const INITIAL_SESSION_STATE: SessionState = {
  activity: 'connecting',
  connection: 'connecting',
  blocked: null,
  key: 'up',
  turn: 'none',
  pressContinuesTurn: false,
  pressInterrupted: false,
  responseActive: false,
  toolsRunning: 0,
  mode: 'hold',
};

export type SessionInput =
  /** `micProblem`: the mic is open but has stopped delivering (unplugged, switched off). */
  | { type: 'press'; at: number; micProblem?: UserFacingError | null }
  | { type: 'release'; heldMs: number; releasedAt: number }
  /** Toggle mode's safety limit: a recording left running is sent. */
  | { type: 'recording-limit'; at: number }
  | { type: 'cancel' }
  /**
   * The turn's audio is all captured. `liveAudio`: whether the mic delivered anything after the
   * key went down; `micProblem` says why not. `turnSamples`: all the audio handed to the backend
   * in this turn, pre- and post-roll included.
   */
  | { type: 'tail-finished'; liveAudio: boolean; turnSamples: number; micProblem?: UserFacingError | null }
  /** The backend is sending the last turn again. */
  | { type: 'retry-started' }
  | { type: 'backend'; event: BackendEvent; speakerPlaying: boolean }
  | { type: 'speaker-drained' }
  /** A tool call started (`running`) or ended (any other status). */
  | { type: 'tool'; status: ToolCallStatus }
  | { type: 'connect-failed'; error: UserFacingError }
  /** The mic or the speaker failed; a failed speaker plays nothing more. */
  | { type: 'device-error'; device: 'mic' | 'speaker'; error: UserFacingError }
  /** The conversation was cleared, or replaced by an earlier one (Continue). */
  | { type: 'conversation-replaced' }
  | { type: 'mode'; mode: TalkMode };

export type SessionEffect =
  | { type: 'state'; state: AssistantState }
  | { type: 'report'; error: UserFacingError }
  | { type: 'log'; message: string }
  /** Stop playback, trim the reply to what was heard, and make the backend's memory match. */
  | { type: 'interrupt' }
  | { type: 'start-turn' }
  | { type: 'listen' }
  | { type: 'arm-recording-limit' }
  | { type: 'disarm-recording-limit' }
  | { type: 'end-turn'; releasedAt: number }
  | { type: 'drop-turn' }
  /** Send the turn: it has the audio of a question. */
  | { type: 'commit-turn' }
  | { type: 'stop-listening' }
  | { type: 'ready-speaker' }
  /** Silence the speaker: what it still holds belongs to a conversation that is gone. */
  | { type: 'stop-playback' }
  /** Make the backend's memory match the new conversation. */
  | { type: 'replace-conversation' }
  /** Fold the event into the conversation; a reply's audio also goes to the speaker. */
  | { type: 'record'; event: ConversationEvent };
