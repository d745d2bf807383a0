/** How the clip travels inside a user message; vLLM takes both, some servers only one. */
export type AudioPartForm = 'input_audio' | 'audio_url';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' } }
  | { type: 'audio_url'; audio_url: { url: string } };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One round of tool use: what the model said and called, and one output per call, in call order. */
export interface ToolRound {
  text: string;
  calls: ChatToolCall[];
  outputs: Array<{ callId: string; output: string }>;
}

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
  /** Only complete rounds (every call answered) are kept, so a request never holds a call without its output. */
  toolRounds: ToolRound[];
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
    this.exchanges.push({ user: turn, toolRounds: [], reply: null });
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

  /** Adds a round whose calls all have their outputs; the next request carries it after the question. */
  addToolRound(userItemId: string, round: ToolRound): void {
    this.exchanges.find((candidate) => candidate.user.itemId === userItemId)?.toolRounds.push(round);
  }

  /** A turn answered again (retry) starts over without the tool rounds of its failed attempt. */
  clearToolRounds(userItemId: string): void {
    const exchange = this.exchanges.find((candidate) => candidate.user.itemId === userItemId);
    if (exchange) exchange.toolRounds = [];
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
      // Tool rounds travel as long as the question's clip does: follow-up questions can use what
      // the tools found, while a long day's tool outputs (up to 16 000 characters each) do not pile up.
      if (position >= firstWithClip) messages.push(...toolMessages(exchange.toolRounds));
      if (exchange.reply) messages.push({ role: 'assistant', content: exchange.reply.text });
    });
    messages.push({ role: 'user', content: [audioPart(this.options.audioPart, current.user.wavBase64)] });
    messages.push(...toolMessages(current.toolRounds));
    return messages;
  }
}

/** Each round as the chat API wants it: the assistant message with `tool_calls`, then one tool message per call. */
function toolMessages(rounds: readonly ToolRound[]): ChatMessage[] {
  return rounds.flatMap((round): ChatMessage[] => [
    { role: 'assistant', content: round.text || null, tool_calls: round.calls },
    ...round.outputs.map(({ callId, output }): ChatMessage => ({ role: 'tool', tool_call_id: callId, content: output })),
  ]);
}
