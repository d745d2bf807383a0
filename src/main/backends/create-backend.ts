import type { Settings } from '../../shared/settings';
import { ChatAudioBackend } from './chat-audio/chat-audio-backend';
import { RealtimeBackend } from './realtime/realtime-backend';
import type { BackendTools } from './backend-tools';
import type { VoiceBackend } from './voice-backend';

/** Builds the backend the settings choose. */
export function createBackend(settings: Settings, apiKey: string | null, log: (message: string) => void, tools: BackendTools | null = null): VoiceBackend {
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
      log,
    });
  }
  return new RealtimeBackend({
    url: settings.realtime.url,
    model: settings.realtime.model,
    voice: settings.realtime.voice,
    instructions: settings.instructions,
    apiKey,
    log,
    tools,
  });
}
