import type { ConversationView } from '../voice-backend';
import type { BackendTools } from '../backend-tools';
import type { WebSocketConstructor } from './realtime-socket';

export interface RealtimeBackendOptions {
  url: string;
  model: string;
  voice: string;
  instructions: string;
  apiKey: string | null;
  /** The session's conversation, carried over as text to every fresh server session. */
  conversation: ConversationView;
  log: (msg: string) => void;
  WebSocketImpl?: WebSocketConstructor;
  /** The tools the model may call (ToolCatalog); none by default. */
  tools?: BackendTools | null;
  connectTimeoutMs?: number;
  /** Renew this long before the session's expires_at (OpenAI caps sessions at 60 minutes). */
  renewBeforeExpiryMs?: number;
  backoffMs?: readonly number[];
  readyGraceMs?: number;
}
