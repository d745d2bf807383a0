import type { ConversationView } from '../voice-backend';
import type { BackendTools } from '../backend-tools';
import type { AudioPartForm } from './chat-history';

export interface ChatAudioBackendOptions {
  /** Base URL, the part before /chat/completions, e.g. http://127.0.0.1:8000/v1. */
  url: string;
  /** Empty: use the first model GET /models lists. */
  model: string;
  audioPart: AudioPartForm;
  /** How many earlier clips go along as history (default 3). */
  historyClips?: number;
  instructions: string;
  /** Empty: no transcription; the user's turn stays a clip with its length. */
  transcriptionModel: string;
  speech: { enabled: boolean; model: string; voice: string };
  apiKey: string | null;
  /** The session's conversation: each request carries it as history. */
  conversation: ConversationView;
  log: (message: string) => void;
  fetch?: typeof fetch;
  /** The tools the model may call (ToolCatalog); none by default. */
  tools?: BackendTools | null;
  /** How long the server may stay silent before the request counts as timed out (default 60 s). */
  requestTimeoutMs?: number;
}

/** `performance.now()` marks of the last turn, for the key-up → bytes-on-the-wire bench. */
export interface TurnTiming {
  userItemId: string;
  /** finishTurn() was called: the post-roll is over. */
  finishTurnAt: number;
  /** The request body was built and handed to fetch. */
  requestStartAt: number | null;
  requestBytes: number | null;
}
