import type { Settings } from '../../shared/settings';
import type { ConversationView } from './voice-backend';
import type { BackendTools } from './backend-tools';
import { ChatAudioBackend } from './chat-audio/chat-audio-backend';
import { RealtimeBackend } from './realtime/realtime-backend';
import type { VoiceBackend } from './voice-backend';

/** What every backend is built with, besides its settings. */
export interface BackendContext {
  apiKey: string | null;
  /** The tools the model may call (the ToolCatalog), or none. */
  tools: BackendTools | null;
  /** The session's conversation, which the backend carries to the model. */
  conversation: ConversationView;
  log: (message: string) => void;
}

/** Builds the backend the settings choose. */
export function createBackend(settings: Settings, { apiKey, tools, conversation, log }: BackendContext): VoiceBackend {
  if (settings.backend === 'chat-audio') {
    const chat = settings.chatAudio;
    return new ChatAudioBackend({
      url: chat.url,
      model: chat.model,
      audioPart: chat.audioPart,
      historyClips: chat.historyClips,
      instructions: settings.instructions,
      transcriptionModel: chat.transcriptionModel,
      speech: chat.speech,
      apiKey,
      tools,
      conversation,
      log,
    });
  }
  return new RealtimeBackend({
    url: settings.realtime.url,
    model: settings.realtime.model,
    voice: settings.realtime.voice,
    instructions: settings.instructions,
    apiKey,
    tools,
    conversation,
    log,
  });
}
