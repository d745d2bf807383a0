import type { AssistantState, EngineEvent } from '../../shared/engine-events';
import type { ConversationLine } from '../../shared/conversation';
import type { DeviceList } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { UserFacingError } from '../user-facing-error';

/**
 * What the outside world (the Electron glue, the headless CLI, the renderer test bridge)
 * may do with a running engine. `ParleyEngine` implements it.
 */
export interface EngineApi {
  /** Opens the devices and the connection and starts listening for the hotkey. Never rejects: problems arrive as error events. */
  start(): Promise<void>;
  /**
   * Applies new settings live: only the parts that changed are rebuilt. Calls are applied one
   * after another, in order. `keyProblem` says why a saved key could not be used, so that a
   * refused connection names the real cause instead of "no key".
   */
  applySettings(settings: Settings, apiKey: string | null, keyProblem?: UserFacingError | null): Promise<void>;
  readonly state: AssistantState;
  /** The conversation so far, as the window draws it. */
  readonly lines: readonly ConversationLine[];
  /** Every event, in order. Returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  clearConversation(): void;
  /** Goes on from an earlier conversation (History › Continue): the model is given its words. */
  continueConversation(lines: readonly ConversationLine[]): void;
  /** Sends the last turn again after an error. */
  retryLastTurn(): void;
  /** Drops the turn being recorded without sending it (Escape in the window). */
  cancelTurn(): void;
  listDevices(): Promise<DeviceList>;
  /** Opens the chosen input and reports its level as `level` events, without talking to the backend. */
  startMicTest(deviceName: string | null): Promise<void>;
  stopMicTest(): Promise<void>;
  /** Ends a held key press: the screen locked, or the machine went to sleep. */
  releaseHotkey(reason: 'session-locked' | 'suspended'): void;
  dispose(): Promise<void>;
}
