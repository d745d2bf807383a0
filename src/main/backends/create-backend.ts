import type { Settings } from '../../shared/settings';
import type { BackendTools } from './backend-tools';
import { ChatAudioBackend } from './chat-audio/chat-audio-backend';
import { RealtimeBackend } from './realtime/realtime-backend';
import type { VoiceBackend } from './voice-backend';

/** Builds the backend the settings choose; `tools` are the ones the model may call (the ToolCatalog). */
export function createBackend(settings: Settings, apiKey: string | null, tools: BackendTools | null, log: (message: string) => void): VoiceBackend {
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
    log,
  });
}
