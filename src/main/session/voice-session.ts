import type { AssistantState, EngineEvent, ErrorCode } from '../../shared/engine-events';
import type { CaptureSettings } from '../../shared/settings';
import type { Microphone, Speaker, Unsubscribe } from '../audio/audio-ports';
import { BACKEND_SAMPLE_RATE, type BackendEvent, type VoiceBackend } from '../backends/voice-backend';
import type { KeyRelease } from '../hotkey/push-to-talk-key';
import { toUserFacingError, type UserFacingError } from '../user-facing-error';
import { AssistantReplies } from './assistant-replies';
import { MicLevelReporter } from './mic-level-reporter';
import { TurnRecorder } from './turn-recorder';

/** Connection failures that no retry can fix. */
const NEEDS_NEW_SETTINGS = new Set<ErrorCode>(['no-api-key', 'auth', 'model-not-found', 'bad-settings']);

/**
 * Shorter presses are accidental taps. The API refuses turns under 100 ms; the margin above
 * that is for the key itself: a 90 ms tap sent through a busy X server was stamped 106 ms.
 */
export const MIN_HOLD_MS = 125;

export interface VoiceSessionDeps {
  backend: VoiceBackend;
  mic: Microphone;
  speaker: Speaker;
  capture: CaptureSettings;
  emit: (event: EngineEvent) => void;
  log: (message: string) => void;
}

/**
 * One push-to-talk conversation: idle → listening → thinking → speaking → idle, plus
 * connecting and error. It owns the turn recorder and wires the hotkey's press and release
 * to the mic, the backend and the speaker. It does not own those three: the engine does,
 * so a settings change can swap one without tearing down the rest.
 */
export class VoiceSession {
  private state: AssistantState = 'connecting';
  private readonly recorder: TurnRecorder;
  private readonly replies: AssistantReplies;
  private readonly level: MicLevelReporter;
  private readonly unsubscribers: Unsubscribe[] = [];
  private responseActive = false;
  private connected = false;
  private fatal = false;
  /** What to repeat when the key is pressed while nothing can be sent. */
  private blockingError: UserFacingError | null = null;
  private keyHeld = false;
  /** This press went down during the last turn's post-roll and carries that turn on. */
  private pressContinuesTurn = false;
  private disposed = false;
  /** Time of the newest captured sample in the last append, for the bench. */
  lastAppendCapturedAt = 0;

  constructor(private readonly deps: VoiceSessionDeps) {
    this.replies = new AssistantReplies(deps.emit);
    this.level = new MicLevelReporter(deps.emit);
    this.recorder = new TurnRecorder({
      sampleRate: BACKEND_SAMPLE_RATE,
      preRollMs: deps.capture.preRollMs,
      postRollMs: deps.capture.postRollMs,
      onAudio: (pcm, capturedAt) => {
        this.lastAppendCapturedAt = capturedAt;
        deps.backend.appendAudio(pcm);
      },
    });
    this.unsubscribers.push(
      deps.backend.on((event) => this.guard(() => this.onBackendEvent(event))),
      deps.mic.onFrames((pcm, capturedAt) =>
        this.guard(() => {
          this.recorder.pushFrames(pcm, capturedAt);
          if (this.recorder.isRecording) this.level.push(pcm);
        }),
      ),
      deps.mic.onError((error) => deps.emit(error.toEvent())),
      deps.speaker.onDrained(() => this.guard(() => this.settleAfterReply())),
      deps.speaker.onError((error) => deps.emit(error.toEvent())),
    );
  }

  /** Announces the starting state; call once the caller listens. */
  announce(): void {
    this.deps.emit({ type: 'state', state: this.state });
  }

  /** Applies new pre/post-roll lengths from the next turn on. */
  setCapture(capture: CaptureSettings): void {
    this.deps.capture.preRollMs = capture.preRollMs;
    this.deps.capture.postRollMs = capture.postRollMs;
    this.deps.capture.keepMicWarm = capture.keepMicWarm;
    this.recorder.setRoll(capture.preRollMs, capture.postRollMs);
  }

  /** Key-down. */
  press(): void {
    if (this.disposed || this.keyHeld) return;
    if (this.blockingError) {
      // Recording would go nowhere: say again why, instead of pretending to listen.
      this.deps.emit(this.blockingError.toEvent());
      return;
    }
    this.keyHeld = true;
    this.guard(() => {
      if (this.state === 'speaking' || this.state === 'thinking' || this.responseActive) this.bargeIn();
      if (!this.deps.mic.isOpen) {
        // A cold mic misses the first words while it opens; that is the price of the setting.
        this.deps.mic.open().catch((error: unknown) => this.report(error));
      }
      this.pressContinuesTurn = this.recorder.isRecording;
      if (!this.recorder.isRecording) {
        // A new turn (not a press during the last one's tail). The backend opens the turn
        // before the pre-roll arrives, or it would count the pre-roll as the turn before.
        this.deps.backend.startTurn();
        // Whatever the ring still holds from the end of the last turn is not this turn's past.
        this.recorder.forgetPreRoll();
      }
      // The mic hands over its backlog right here, so the recorder has its pre-roll.
      this.deps.mic.setListening(true);
      this.recorder.begin();
      this.level.reset();
      this.setState('listening');
    });
  }

  /**
   * Key-up, or a forced release (safety limit, screen locked). The hold is measured by the
   * key events (`heldMs`), not by when this runs: the hotkey waits a moment to tell a real
   * key-up from auto-repeat, and that wait must not turn a tap into a turn.
   */
  release({ heldMs, releasedAt }: Pick<KeyRelease, 'heldMs' | 'releasedAt'>): void {
    if (this.disposed || !this.keyHeld) return;
    this.keyHeld = false;
    this.guard(() => {
      // Get the output ready before the reply can arrive (a reopen takes milliseconds), but not
      // at key-down: an open, silent output costs CPU for the whole hold.
      this.deps.speaker.open().catch((error: unknown) => this.report(error));
      const endTurn = () => this.recorder.end(() => this.guard(() => this.finishTurn()), releasedAt);
      if (heldMs >= MIN_HOLD_MS) {
        this.deps.log(`key held ${Math.round(heldMs)} ms`);
        endTurn();
      }
      // A stray tap during the last turn's post-roll: that turn ends as it was going to.
      else if (this.pressContinuesTurn) endTurn();
      else this.dropTap(heldMs);
    });
  }

  /**
   * The backend could not connect. Where it cannot help itself (no key, a rejected key, an
   * unknown model) the session is in error until the settings change; otherwise the backend
   * keeps retrying and the session stays connecting.
   */
  connectFailed(error: UserFacingError): void {
    this.deps.emit(error.toEvent());
    if (error.fatal || NEEDS_NEW_SETTINGS.has(error.code)) {
      this.fatal = true;
      if (NEEDS_NEW_SETTINGS.has(error.code)) this.blockingError = error;
      if (this.state !== 'listening') this.setState('error');
    }
  }

  clearConversation(): void {
    this.replies.clear();
    this.deps.backend.clearConversation();
  }

  retryLastTurn(): void {
    this.guard(() => {
      if (this.deps.backend.retryLastTurn()) this.setState('thinking');
    });
  }

  dispose(): void {
    this.disposed = true;
    this.recorder.dispose();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  private finishTurn(): void {
    const outcome = this.deps.backend.finishTurn();
    this.afterTurn();
    if (outcome === 'too-short') {
      this.deps.log('turn under 100 ms: nothing sent');
      this.setState(this.restingState());
      return;
    }
    this.setState('thinking');
  }

  /** An accidental tap: nothing is sent, whatever pre- and post-roll would add. */
  private dropTap(heldMs: number): void {
    this.recorder.cancel();
    this.deps.backend.cancelTurn();
    this.deps.log(`tap of ${Math.round(heldMs)} ms (under ${MIN_HOLD_MS} ms): nothing sent`);
    this.afterTurn();
    this.setState(this.restingState());
  }

  private afterTurn(): void {
    this.deps.mic.setListening(false);
    this.level.reset();
    this.deps.emit({ type: 'level', level: 0 });
    if (!this.deps.capture.keepMicWarm && this.deps.mic.isOpen) {
      this.deps.mic.close().catch((error: unknown) => this.deps.log(`closing the mic failed: ${String(error)}`));
    }
  }

  private bargeIn(): void {
    const heard = this.deps.speaker.stop();
    this.replies.markInterrupted(heard);
    this.deps.backend.interrupt(heard);
    this.responseActive = false;
  }

  private onBackendEvent(event: BackendEvent): void {
    switch (event.type) {
      case 'connection':
        this.connected = event.status === 'ready';
        if (this.connected) {
          this.fatal = false;
          this.blockingError = null;
        }
        if (this.state === 'connecting' || this.state === 'idle' || (this.state === 'error' && this.connected)) {
          this.setState(this.restingState());
        }
        return;
      case 'user-turn':
        this.deps.emit({ type: 'transcript', role: 'user', itemId: event.itemId, text: '', final: false, clipMs: event.clipMs });
        return;
      case 'user-transcript':
        this.deps.emit({ type: 'transcript', role: 'user', itemId: event.itemId, text: event.text, final: event.final });
        return;
      case 'response-started':
        this.responseActive = true;
        if (this.state !== 'listening') this.setState('thinking');
        return;
      case 'assistant-text':
        this.replies.appendText(event.itemId, event.delta);
        return;
      case 'assistant-text-done':
        this.replies.finishText(event.itemId, event.text);
        return;
      case 'assistant-text-heard':
        this.replies.showHeard(event.itemId, event.text);
        return;
      case 'assistant-audio':
        this.replies.noteAudio(event.itemId, event.pcm.length);
        this.deps.speaker.play(event.itemId, event.pcm);
        if (this.state !== 'listening') this.setState('speaking');
        return;
      case 'response-done':
        this.responseActive = false;
        this.replies.finishResponse(event.status);
        this.settleAfterReply();
        return;
      case 'error':
        this.deps.emit(event.error.toEvent());
        if (NEEDS_NEW_SETTINGS.has(event.error.code)) this.blockingError = event.error;
        if (event.error.fatal) {
          this.fatal = true;
          this.responseActive = false;
          if (this.state !== 'listening') this.setState('error');
        } else if (this.state === 'thinking' && !this.responseActive) {
          this.setState(this.restingState());
        }
        return;
    }
  }

  /** After a reply: idle once the speaker has played everything out. */
  private settleAfterReply(): void {
    if (this.responseActive || this.state === 'listening' || this.deps.speaker.isPlaying) return;
    if (this.state === 'speaking' || this.state === 'thinking') this.setState(this.restingState());
  }

  private restingState(): AssistantState {
    if (this.fatal) return 'error';
    return this.connected ? 'idle' : 'connecting';
  }

  private setState(state: AssistantState): void {
    if (state === this.state) return;
    this.state = state;
    this.deps.emit({ type: 'state', state });
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

  private report(error: unknown): void {
    this.deps.emit(toUserFacingError(error).toEvent());
  }
}
