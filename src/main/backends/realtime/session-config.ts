import type { RealtimeSessionCreateRequest, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { BACKEND_SAMPLE_RATE } from '../voice-backend';

export interface SessionSettings {
  voice: string;
  instructions: string;
  tools: RealtimeFunctionTool[];
}

/**
 * The push-to-talk session: no server VAD (the key decides when a turn ends), the user's words
 * transcribed, PCM16 24 kHz both ways, spoken replies only.
 */
export function sessionUpdate(settings: SessionSettings): SessionUpdateEvent {
  const session: RealtimeSessionCreateRequest = {
    type: 'realtime',
    instructions: settings.instructions,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: BACKEND_SAMPLE_RATE },
        // It defaults to server VAD, which would end turns on its own: say null explicitly.
        turn_detection: null,
        transcription: { model: 'gpt-4o-mini-transcribe' },
      },
      output: { format: { type: 'audio/pcm', rate: BACKEND_SAMPLE_RATE }, voice: settings.voice },
    },
  };
  if (settings.tools.length > 0) {
    session.tools = settings.tools;
    session.tool_choice = 'auto';
  }
  return { type: 'session.update', session };
}
