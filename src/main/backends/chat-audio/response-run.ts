import { SAMPLES_PER_MS, type HeardAudio } from '../voice-backend';
import type { SpokenReply } from './spoken-reply';

/** One reply of the chat-audio backend, from its response-started to its response-done. */
export interface ResponseRun {
  userItemId: string;
  assistantItemId: string;
  controller: AbortController;
  /** Everything shown of the reply, across its tool rounds. */
  text: string;
  /** Where the text after the last kept tool round starts: earlier text is in the history with its round. */
  replyStart: number;
  cancelled: boolean;
  /** With spoken replies on: the sentences being spoken, and what of them was heard. */
  speech: SpokenReply | null;
}

/**
 * What the model should remember of an interrupted reply: what was heard when it was spoken
 * (the screen shows the same), or what was shown when nothing of it had sounded yet.
 */
export function heardText(run: ResponseRun, heard: HeardAudio | null): string {
  if (!run.speech?.hasAudio) return run.text;
  const played = heard?.itemId === run.assistantItemId ? heard.audioEndMs * SAMPLES_PER_MS : 0;
  return run.speech.heardText(played);
}
