import type { ConversationLine } from '../../shared/conversation';
import { SAMPLES_PER_MS, type HeardAudio } from '../audio/pcm-format';
import type { UserFacingError } from '../user-facing-error';

/**
 * What the session needs from a backend: the Realtime socket and the chat-completions
 * endpoint both sit behind this, so the push-to-talk logic is written once.
 *
 * Audio in and out is the engine's PCM (audio/pcm-format.ts): PCM16 mono at 24 kHz; backends
 * that need another rate convert on their side.
 */
export { BACKEND_SAMPLE_RATE, SAMPLES_PER_MS, type HeardAudio } from '../audio/pcm-format';

/** What a backend may read of the session's conversation: the words of every turn, as the user saw and heard them. */
export interface ConversationView {
  /**
   * Oldest first: the lines of a continued conversation, then this run's turns and tool calls.
   * An interrupted reply holds only what was heard; that is what the model should remember.
   */
  readonly lines: readonly ConversationLine[];
  /**
   * Whole milliseconds of the reply item's audio that arrived (0 for an item it does not hold):
   * the conversation is the one count of it, and a truncate may not go past it.
   */
  audioMsReceived(itemId: string): number;
}

/**
 * A turn with less audio than this is never sent (the session drops it): the Realtime API
 * refuses to commit under 100 ms, and a chat model makes nothing of it either.
 */
export const MIN_TURN_SAMPLES = 100 * SAMPLES_PER_MS;

export type BackendEvent =
  | { type: 'connection'; status: 'connecting' | 'ready' | 'closed' }
  /** The user's turn is on the server; `clipMs` is set when no words are known yet. */
  | { type: 'user-turn'; itemId: string; clipMs: number }
  /** A piece of the user's words, as the server transcribes them; the conversation accumulates them. */
  | { type: 'user-transcript'; itemId: string; delta: string }
  /** The user's words, whole. */
  | { type: 'user-transcript-done'; itemId: string; text: string }
  | { type: 'response-started' }
  /** A piece of the assistant's words; the session's Conversation accumulates them. */
  | { type: 'assistant-text'; itemId: string; delta: string }
  | { type: 'assistant-text-done'; itemId: string; text: string }
  | { type: 'assistant-audio'; itemId: string; pcm: Int16Array }
  /**
   * After interrupt(): the words of the reply the user heard, when the backend knows them better
   * than spreading the text over the audio can (chat-audio speaks sentence by sentence, each
   * sentence's audio length known). The transcript shows exactly this text.
   */
  | { type: 'assistant-text-heard'; itemId: string; text: string }
  | { type: 'response-done'; status: 'completed' | 'cancelled' | 'incomplete' | 'failed' }
  | { type: 'error'; error: UserFacingError };

export type BackendListener = (event: BackendEvent) => void;


export interface VoiceBackend {
  /**
   * Opens the connection ahead of the first key press; resolves once ready to take a turn.
   * A failure rejects with a UserFacingError and is not also emitted as an error event: the
   * caller reports it. Problems after that (a dropped socket, a failed reconnect) arrive as events.
   */
  connect(): Promise<void>;
  /** The user pressed the key. */
  startTurn(): void;
  /** Audio captured while the key is held, pre-roll first and post-roll last. */
  appendAudio(pcm: Int16Array): void;
  /** The post-roll is over: send the turn. The session never finishes one under MIN_TURN_SAMPLES. */
  finishTurn(): void;
  /**
   * Drop the turn in progress without sending it (Realtime: `input_audio_buffer.clear`).
   * Used for an accidental tap: pre- and post-roll would otherwise lift it over 100 ms.
   */
  cancelTurn(): void;
  /** The user barged in: stop the reply and make the model's memory match what was heard. */
  interrupt(heard: HeardAudio | null): void;
  /** Sends the last turn again after an error. Returns false when there is nothing to retry. */
  retryLastTurn(): boolean;
  /**
   * The session's conversation was cleared, or replaced by an earlier one the user continued:
   * the model's memory starts again from what the conversation now holds (Realtime deletes the
   * server's items and carries the words over; chat-audio forgets its clips).
   */
  replaceConversation(): void;
  on(listener: BackendListener): () => void;
  dispose(): Promise<void>;
}
