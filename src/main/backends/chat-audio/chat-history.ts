import type { ConversationView } from '../voice-backend';

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

export interface UserClip {
  itemId: string;
  /** The clip as a base64 WAV, kept so it can be resent (history and retry). */
  wavBase64: string;
}

/** The reply the model remembers for a turn: its conversation line, from where the text after the kept tool rounds starts. */
export interface ReplyRef {
  itemId: string;
  start: number;
}

interface Exchange {
  user: UserClip;
  /** Only complete rounds (every call answered) are kept, so a request never holds a call without its output. */
  toolRounds: ToolRound[];
  reply: ReplyRef | null;
}

export function audioPart(form: AudioPartForm, wavBase64: string): ChatContentPart {
  return form === 'input_audio'
    ? { type: 'input_audio', input_audio: { data: wavBase64, format: 'wav' } }
    : { type: 'audio_url', audio_url: { url: `data:audio/wav;base64,${wavBase64}` } };
}

export interface ChatHistoryOptions {
  historyClips: number;
  audioPart: AudioPartForm;
  /** The words of every turn, as heard: the session's conversation. */
  conversation: ConversationView;
}

/**
 * The conversation as the chat endpoint sees it: the server keeps no state, so every request
 * carries the history. The words come from the session's conversation (an interrupted reply
 * is what was heard; a continued conversation's old lines go first); this class adds what only
 * this backend has: the clips, and the tool rounds. Audio is heavy (a 10 s clip is ~430 kB of
 * base64), so only the latest `historyClips` earlier clips travel as audio, older turns as words.
 */
export class ChatHistory {
  private exchanges: Exchange[] = [];
  /** Replies of failed attempts that a retry answered again: the model remembers only the retry. */
  private readonly superseded = new Set<string>();

  constructor(private readonly options: ChatHistoryOptions) {}

  addUserTurn(clip: UserClip): void {
    this.exchanges.push({ user: clip, toolRounds: [], reply: null });
    // Clips that can never be sent again are dropped, so a long day's talk does not pile up
    // megabytes of base64: the newest turn plus `historyClips` before it are all a request uses.
    const stale = this.exchanges.length - (this.options.historyClips + 1);
    for (let i = 0; i < stale; i += 1) {
      const user = this.exchanges[i]?.user;
      if (user) user.wavBase64 = '';
    }
  }

  hasTurn(userItemId: string): boolean {
    return this.exchange(userItemId) !== undefined;
  }

  /** Records (or replaces, after a retry) the reply to a user turn. */
  setReply(userItemId: string, reply: ReplyRef): void {
    const exchange = this.exchange(userItemId);
    if (!exchange) return;
    if (exchange.reply && exchange.reply.itemId !== reply.itemId) this.superseded.add(exchange.reply.itemId);
    exchange.reply = reply;
  }

  /** Adds a round whose calls all have their outputs; the next request carries it after the question. */
  addToolRound(userItemId: string, round: ToolRound): void {
    this.exchange(userItemId)?.toolRounds.push(round);
  }

  /** A turn answered again (retry) starts over without the tool rounds of its failed attempt. */
  clearToolRounds(userItemId: string): void {
    const exchange = this.exchange(userItemId);
    if (exchange) exchange.toolRounds = [];
  }

  clear(): void {
    this.exchanges = [];
    this.superseded.clear();
  }

  /** The messages for a request that answers `userItemId`, with the conversation before it as history. */
  messagesFor(userItemId: string, instructions: string): ChatMessage[] {
    const index = this.exchanges.findIndex((exchange) => exchange.user.itemId === userItemId);
    const current = this.exchanges[index];
    if (!current) throw new Error(`No user turn ${userItemId} in the history`);
    const firstWithClip = Math.max(0, index - this.options.historyClips);
    const clipOf = new Map(this.exchanges.map((exchange, position) => [exchange.user.itemId, { exchange, withClip: position >= firstWithClip }]));
    const replyStart = new Map(this.exchanges.flatMap((exchange) => (exchange.reply ? [[exchange.reply.itemId, exchange.reply.start] as const] : [])));

    const messages: ChatMessage[] = [];
    if (instructions.trim()) messages.push({ role: 'system', content: instructions });
    for (const line of this.options.conversation.lines) {
      if (line.itemId === userItemId) break;
      if (line.role === 'user') {
        const turn = clipOf.get(line.itemId);
        if (turn?.withClip && turn.exchange.user.wavBase64) {
          messages.push({ role: 'user', content: [audioPart(this.options.audioPart, turn.exchange.user.wavBase64)] });
          // Tool rounds travel as long as the question's clip does: follow-up questions can use what
          // the tools found, while a long day's tool outputs (up to 16 000 characters each) do not pile up.
          messages.push(...toolMessages(turn.exchange.toolRounds));
        } else if (line.text.trim()) {
          messages.push({ role: 'user', content: line.text });
        }
        // A turn with neither clip nor words is left out: a placeholder such as "(audio)" would
        // invite the model to answer it. Its reply still goes, so the model keeps what it said;
        // OpenAI-compatible servers accept two assistant messages in a row.
      } else if (line.role === 'assistant' && !this.superseded.has(line.itemId)) {
        const text = line.text.slice(replyStart.get(line.itemId) ?? 0).trimStart();
        if (text) messages.push({ role: 'assistant', content: text });
      }
    }
    messages.push({ role: 'user', content: [audioPart(this.options.audioPart, current.user.wavBase64)] });
    messages.push(...toolMessages(current.toolRounds));
    return messages;
  }

  private exchange(userItemId: string): Exchange | undefined {
    return this.exchanges.find((candidate) => candidate.user.itemId === userItemId);
  }
}

/** Each round as the chat API wants it: the assistant message with `tool_calls`, then one tool message per call. */
function toolMessages(rounds: readonly ToolRound[]): ChatMessage[] {
  return rounds.flatMap((round): ChatMessage[] => [
    { role: 'assistant', content: round.text || null, tool_calls: round.calls },
    ...round.outputs.map(({ callId, output }): ChatMessage => ({ role: 'tool', tool_call_id: callId, content: output })),
  ]);
}
