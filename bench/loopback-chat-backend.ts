import { ChatAudioBackend } from '../src/main/backends/chat-audio/chat-audio-backend';
import { Conversation } from '../src/main/session/conversation';
import type { ChatAudioServer } from '../test/support/chat-audio-server';

/** A chat-audio backend on the loopback vLLM stand-in, as the benches drive it: no history clips, no transcription. */
export function loopbackChatBackend(server: ChatAudioServer, speech: { enabled: boolean; model: string; voice: string }): ChatAudioBackend {
  return new ChatAudioBackend({
    url: server.baseUrl,
    model: '',
    audioPart: 'input_audio',
    historyClips: 0,
    instructions: '',
    transcriptionModel: '',
    speech,
    apiKey: null,
    conversation: new Conversation(() => undefined),
    log: () => undefined,
  });
}
