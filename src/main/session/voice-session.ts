import type { EngineEvent, ToolEvent } from '../../shared/engine-events';
import type { CaptureSettings } from '../../shared/settings';
import type { Microphone, Speaker, Unsubscribe } from '../audio/mic-and-speaker';
import { BACKEND_SAMPLE_RATE } from '../audio/pcm-format';
import type { VoiceBackend } from '../backends/voice-backend';
import type { KeyRelease } from '../hotkey/push-to-talk-key';
import { toUserFacingError, type UserFacingError } from '../user-facing-error';
import type { Conversation } from './conversation';
import { MicLevelReporter } from './mic-level-reporter';
import { INITIAL_SESSION_STATE, transition, type SessionEffect, type SessionInput, type SessionState } from './session-transitions';
import { ROOM_CONTEXT_MS } from './trailing-silence';
import { TurnRecorder } from './turn-recorder';


export interface VoiceSessionDeps {
  backend: VoiceBackend;
  mic: Microphone;
  speaker: Speaker;
  /** The starting settings; later ones come through setCapture. */
  capture: CaptureSettings;
  /**
   * Why the saved API key could not be used (it could not be unlocked). It is what the user is
   * told instead of the backend's "no key" or "key rejected", which would send them looking
   * for the wrong fault.
   */
  keyProblem?: UserFacingError | null;
  /** The engine's conversation: the session writes every turn's words into it. */
  conversation: Conversation;
  emit: (event: EngineEvent) => void;
  log: (message: string) => void;
  /** A measurement hook: called as each piece of the turn goes to the backend, with its newest sample's capture time (the bench's capture → wire age). */
  onAudioSent?: (capturedAt: number) => void;
}

/**
 * One push-to-talk conversation. What happens on each key press, backend event and timer is
 * decided by `transition` (session-transitions.ts); this class feeds it inputs and carries
 * out its effects on the mic, the recorder, the backend, the speaker and the conversation. It
 * owns only the recorder: the engine owns the rest, so a settings change can swap one part
 * without the others, and the conversation outlives the session.
 */
export class VoiceSession {
  /** The talk mode is kept in `state.mode` alone: the transitions decide by it. */
  private state: SessionState;
  private capture: Omit<CaptureSettings, 'talkMode'>;
  private readonly recorder: TurnRecorder;
  private readonly level: MicLevelReporter;
  private readonly unsubscribers: Unsubscribe[] = [];
  private recordingLimit: NodeJS.Timeout | null = null;
  private disposed = false;
  private readonly pending: SessionInput[] = [];
  private dispatching = false;

  constructor(private readonly deps: VoiceSessionDeps) {
    const { talkMode, ...capture } = deps.capture;
    this.state = { ...INITIAL_SESSION_STATE, mode: talkMode };
    this.capture = capture;
    this.level = new MicLevelReporter(deps.emit);
    this.recorder = new TurnRecorder({
      sampleRate: BACKEND_SAMPLE_RATE,
      preRollMs: capture.preRollMs,
      postRollMs: capture.postRollMs,
      onAudio: (pcm, capturedAt) => {
        deps.backend.appendAudio(pcm);
        deps.onAudioSent?.(capturedAt);
      },
    });
    this.unsubscribers.push(
      deps.backend.on((event) =>
        this.dispatch({ type: 'backend', event: event.type === 'error' ? { type: 'error', error: this.explained(event.error) } : event, speakerPlaying: deps.speaker.isPlaying }),
      ),
      deps.mic.onFrames((pcm, capturedAt) =>
        this.guard(() => {
          const recording = this.recorder.isRecording;
          this.recorder.pushFrames(pcm, capturedAt);
          if (recording) this.level.push(pcm);
        }),
      ),
      deps.mic.onError((error) => this.dispatch({ type: 'device-error', device: 'mic', error })),
      deps.speaker.onDrained(() => this.dispatch({ type: 'speaker-drained' })),
      deps.speaker.onError((error) => this.dispatch({ type: 'device-error', device: 'speaker', error })),
    );
  }

  /** Announces the starting state; call once the caller listens. */
  announce(): void {
    this.deps.emit({ type: 'state', state: this.state.activity });
  }

  /** Applies new capture settings from the next turn on. */
  setCapture({ talkMode, ...capture }: CaptureSettings): void {
    this.capture = capture;
    this.recorder.setRoll(capture.preRollMs, capture.postRollMs);
    this.dispatch({ type: 'mode', mode: talkMode });
  }

  /** Key-down; `at` is when it came, on the `performance.now()` clock. */
  press(at = performance.now()): void {
    const { mic } = this.deps;
    this.dispatch({ type: 'press', at, micProblem: mic.isOpen ? mic.unavailable : null });
  }

  /**
   * Key-up, or a forced release (safety limit, screen locked). The hold is measured by the
   * key events (`heldMs`), not by when this runs: the hotkey waits a moment to tell a real
   * key-up from auto-repeat, and that wait must not turn a tap into a turn.
   */
  release({ heldMs, releasedAt }: Pick<KeyRelease, 'heldMs' | 'releasedAt'>): void {
    this.dispatch({ type: 'release', heldMs, releasedAt });
  }

  /** A tool call started or ended: the state shows that a tool is working. */
  noteTool(event: ToolEvent): void {
    this.dispatch({ type: 'tool', status: event.status });
  }

  /** Drops the turn being recorded without sending it (Escape in the window). */
  cancelTurn(): void {
    this.dispatch({ type: 'cancel' });
  }

  /**
   * The backend could not connect. Where it cannot help itself (no key, a rejected key, an
   * unknown model) the session is in error until the settings change; otherwise the backend
   * keeps retrying and the session stays connecting.
   */
  connectFailed(error: UserFacingError): void {
    this.dispatch({ type: 'connect-failed', error: this.explained(error) });
  }

  /** The engine's conversation was cleared or replaced (Continue): playback stops and the backend's memory follows. */
  replaceConversation(): void {
    this.dispatch({ type: 'conversation-replaced' });
  }

  retryLastTurn(): void {
    this.guard(() => {
      if (this.deps.backend.retryLastTurn()) this.dispatch({ type: 'retry-started' });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.disarmRecordingLimit();
    this.recorder.dispose();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /**
   * Inputs that effects cause (a backend event emitted inside interrupt(), a tail that ends at
   * once) wait until the current transition's effects are all applied: every input sees the
   * state the one before it left, and state events go out in order.
   */
  private dispatch(input: SessionInput): void {
    if (this.disposed) return;
    this.pending.push(input);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.pending.shift(); next && !this.disposed; next = this.pending.shift()) {
        const current = next;
        this.guard(() => {
          const { state, effects } = transition(this.state, current);
          this.state = state;
          for (const effect of effects) this.guard(() => this.apply(effect));
        });
      }
    } finally {
      this.dispatching = false;
      this.pending.length = 0;
    }
  }

  private apply(effect: SessionEffect): void {
    const { backend, speaker, emit } = this.deps;
    switch (effect.type) {
      case 'state':
        return emit({ type: 'state', state: effect.state });
      case 'report':
        return emit(effect.error.toEvent());
      case 'log':
        return this.deps.log(effect.message);
      case 'interrupt': {
        const heard = speaker.stop();
        this.deps.log(`interrupt: speaker ${speaker.isOpen ? 'open' : 'closed'}, heard ${heard ? `${heard.itemId} to ${Math.round(heard.audioEndMs)} ms` : 'nothing'}`);
        this.deps.conversation.markInterrupted(heard);
        return backend.interrupt(heard);
      }
      case 'start-turn':
        // The backend opens the turn before the pre-roll arrives, or it would count the pre-roll as the turn before.
        return backend.startTurn();
      case 'listen':
        return this.listen();
      case 'arm-recording-limit':
        this.disarmRecordingLimit();
        this.recordingLimit = setTimeout(() => {
          this.deps.log(`toggle mode: recording reached ${Math.round(this.capture.maxHoldMs / 1000)} s, sending it`);
          this.dispatch({ type: 'recording-limit', at: performance.now() });
        }, this.capture.maxHoldMs);
        return;
      case 'disarm-recording-limit':
        return this.disarmRecordingLimit();
      case 'end-turn':
        return this.recorder.end(
          ({ liveAudio, samples }) => this.dispatch({ type: 'tail-finished', liveAudio, turnSamples: samples, micProblem: this.deps.mic.unavailable }),
          effect.releasedAt,
        );
      case 'drop-turn':
        this.recorder.cancel();
        return backend.cancelTurn();
      case 'commit-turn':
        return backend.finishTurn();
      case 'stop-listening':
        return this.stopListening();
      case 'stop-playback':
        speaker.stop();
        return;
      case 'replace-conversation':
        return backend.replaceConversation();
      case 'ready-speaker':
        speaker.open().catch((error: unknown) => this.report(error));
        return;
      case 'record':
        this.deps.conversation.apply(effect.event);
        if (effect.event.type === 'assistant-audio') speaker.play(effect.event.itemId, effect.event.pcm);
        return;
    }
  }

  private listen(): void {
    const { mic } = this.deps;
    // A cold mic misses the first words while it opens; that is the price of the setting.
    if (!mic.isOpen) mic.open().catch((error: unknown) => this.report(error));
    // The moments before the key, from the mic's backlog: the last preRollMs are sent, and all
    // of it tells the silence detector how quiet the room is. Live frames go on from there.
    const before = mic.takeRecent(Math.max(this.capture.preRollMs, ROOM_CONTEXT_MS));
    mic.setListening(true);
    this.recorder.begin(before);
    this.level.reset();
  }

  private stopListening(): void {
    const { mic } = this.deps;
    mic.setListening(false);
    this.level.reset();
    this.deps.emit({ type: 'level', level: 0 });
    if (!this.capture.keepMicWarm && mic.isOpen) {
      mic.close().catch((error: unknown) => this.deps.log(`closing the mic failed: ${String(error)}`));
    }
  }

  private disarmRecordingLimit(): void {
    if (this.recordingLimit) clearTimeout(this.recordingLimit);
    this.recordingLimit = null;
  }

  /** Nothing that goes wrong inside one event may take the session down. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.deps.log(`session error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.report(error);
    }
  }

  /** "No key" or "key rejected" while the saved key could not be unlocked: the user is told that instead. */
  private explained(error: UserFacingError): UserFacingError {
    const { keyProblem } = this.deps;
    return keyProblem && (error.code === 'no-api-key' || error.code === 'auth') ? keyProblem : error;
  }

  private report(error: unknown): void {
    this.deps.emit(toUserFacingError(error).toEvent());
  }
}
