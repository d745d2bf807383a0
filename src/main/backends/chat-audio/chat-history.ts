/** How the clip travels inside a user message; vLLM takes both, some servers only one. */
export type AudioPartForm = 'input_audio' | 'audio_url';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' } }
  | { type: 'audio_url'; audio_url: { url: string } };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string };

export interface UserClipTurn {
  itemId: string;
  /** The clip as a base64 WAV, kept so it can be resent (history and retry). */
  wavBase64: string;
  clipMs: number;
  /** The words, once a transcription endpoint has returned them. */
  transcript: string | null;
}

export interface AssistantReply {
  itemId: string;
  /**
   * What the model remembers saying: the whole reply, or after a barge-in only what the user
   * heard (spoken replies) or was shown (text only).
   */
  text: string;
}

interface Exchange {
  user: UserClipTurn;
  reply: AssistantReply | null;
}

export function audioPart(form: AudioPartForm, wavBase64: string): ChatContentPart {
  return form === 'input_audio'
    ? { type: 'input_audio', input_audio: { data: wavBase64, format: 'wav' } }
    : { type: 'audio_url', audio_url: { url: `data:audio/wav;base64,${wavBase64}` } };
}

/**
 * The conversation as the chat endpoint sees it: the server keeps no state, so every request
 * carries the history. Audio is heavy (a 10 s clip is ~430 kB of base64), so only the latest
 * `historyClips` earlier clips travel as audio.
 */
export class ChatHistory {
  private exchanges: Exchange[] = [];

  constructor(private readonly options: { historyClips: number; audioPart: AudioPartForm }) {}

  addUserTurn(turn: UserClipTurn): void {
    this.exchanges.push({ user: turn, reply: null });
    // Clips that can never be sent again are dropped, so a long day's talk does not pile up
    // megabytes of base64: the newest turn plus `historyClips` before it are all a request uses.
    const stale = this.exchanges.length - (this.options.historyClips + 1);
    for (let i = 0; i < stale; i += 1) {
      const user = this.exchanges[i]?.user;
      if (user) user.wavBase64 = '';
    }
  }

  findUserTurn(itemId: string): UserClipTurn | null {
    return this.exchanges.find((exchange) => exchange.user.itemId === itemId)?.user ?? null;
  }

  /** Records (or replaces, after a retry) the reply to a user turn. Empty replies are not kept. */
  setReply(userItemId: string, reply: AssistantReply): void {
    const exchange = this.exchanges.find((candidate) => candidate.user.itemId === userItemId);
    if (!exchange) return;
    exchange.reply = reply.text ? reply : null;
  }

  clear(): void {
    this.exchanges = [];
  }

  /** The messages for a request that answers `userItemId`, with everything before it as history. */
  messagesFor(userItemId: string, instructions: string): ChatMessage[] {
    const index = this.exchanges.findIndex((exchange) => exchange.user.itemId === userItemId);
    if (index < 0) throw new Error(`No user turn ${userItemId} in the history`);
    const earlier = this.exchanges.slice(0, index);
    const current = this.exchanges[index];
    if (!current) throw new Error(`No user turn ${userItemId} in the history`);

    const messages: ChatMessage[] = [];
    if (instructions.trim()) messages.push({ role: 'system', content: instructions });
    const firstWithClip = Math.max(0, earlier.length - this.options.historyClips);
    earlier.forEach((exchange, position) => {
      if (position >= firstWithClip) {
        messages.push({ role: 'user', content: [audioPart(this.options.audioPart, exchange.user.wavBase64)] });
      } else if (exchange.user.transcript) {
        messages.push({ role: 'user', content: exchange.user.transcript });
      }
      // An older turn with neither clip nor words is left out: sending a placeholder such as
      // "(audio)" would invite the model to answer it. Its reply still goes, so the model keeps
      // what it said; OpenAI-compatible servers accept two assistant messages in a row.
      if (exchange.reply) messages.push({ role: 'assistant', content: exchange.reply.text });
    });
    messages.push({ role: 'user', content: [audioPart(this.options.audioPart, current.user.wavBase64)] });
    return messages;
  }
}
