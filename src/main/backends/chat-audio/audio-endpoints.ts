import { UserFacingError } from '../../user-facing-error';
import type { ChatServer } from './chat-server';

/**
 * POST /audio/transcriptions (OpenAI's multipart form, which vLLM serves for Whisper models):
 * the clip's words, or null when the server heard none.
 */
export async function transcribeClip(connection: ChatServer, model: string, wav: Buffer, signal: AbortSignal): Promise<string | null> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'question.wav');
  form.append('model', model);
  form.append('response_format', 'json');
  const text = await connection.sendForText('transcription', '/audio/transcriptions', { method: 'POST', body: form, model }, signal);
  let words: unknown;
  try {
    words = (JSON.parse(text) as { text?: unknown }).text;
  } catch {
    words = undefined;
  }
  if (typeof words !== 'string') {
    throw new UserFacingError(
      'protocol',
      `The server at ${connection.baseUrl} answered the transcription request without text. Check the transcription model in Settings, or clear it to show clips instead.`,
      { action: 'open-settings', text: { key: 'errors.chatAudio.noTranscript', params: { url: connection.baseUrl } } },
    );
  }
  const trimmed = words.trim();
  return trimmed ? trimmed : null;
}

/**
 * POST /audio/speech with `response_format: "pcm"`: OpenAI's raw PCM16 mono at 24 kHz, the
 * backend's own rate. Calls `onPcm` as the audio streams, whole samples only.
 */
export async function speakReply(
  connection: ChatServer,
  options: { model: string; voice: string; text: string },
  signal: AbortSignal,
  onPcm: (pcm: Int16Array) => void,
): Promise<void> {
  const body = JSON.stringify({ model: options.model, voice: options.voice, input: options.text, response_format: 'pcm' });
  const { response, exchange } = await connection.send('speech', '/audio/speech', { method: 'POST', body, json: true, model: options.model }, signal);
  // A chunk may end mid-sample; the odd byte waits for the next chunk.
  let carry: Uint8Array = new Uint8Array(0);
  try {
    if (!response.body) return;
    for await (const chunk of response.body) {
      exchange.touch();
      const bytes = carry.length ? concatBytes(carry, chunk) : chunk;
      const whole = bytes.length - (bytes.length % 2);
      carry = bytes.slice(whole);
      if (whole === 0) continue;
      const pcm = new Int16Array(whole / 2);
      const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
      for (let i = 0; i < pcm.length; i += 1) pcm[i] = view.getInt16(i * 2, true);
      onPcm(pcm);
    }
  } catch (error) {
    throw exchange.explain(error, true);
  } finally {
    exchange.close();
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
