import { ANSWER_NOW_INSTRUCTION, MAX_TOOL_ROUNDS, type BackendTools } from '../backend-tools';
import type { UserFacingError } from '../../user-facing-error';
import type { ChatCompletionToolDeclaration } from '../../tools/tool-catalog';
import { ToolsRefusedError } from './chat-audio-errors';
import { streamChatCompletion, type ChatStreamResult, type StreamedToolCall } from './chat-completion-stream';
import type { ChatHistory, ChatMessage, ChatToolCall, ToolRound } from './chat-history';
import { RequestCancelled, type ChatServer } from './chat-server';

export interface ChatToolRoundsDeps {
  connection: ChatServer;
  history: ChatHistory;
  tools: BackendTools | null;
  instructions: string;
  log: (message: string) => void;
}

export interface ToolTurnCallbacks {
  /** Reply text to show and speak, in order, across every round of the turn. */
  onDelta(delta: string): void;
  /** The model asked for tools: what it said before them is complete and can be spoken now. */
  onCallsRequested(): void;
  /** A round's calls and outputs went into the history: the text so far belongs to that round. */
  onRoundKept(): void;
  /** The server refuses requests that declare tools; the turn goes on without them. Once per backend. */
  onToolsRefused(error: UserFacingError): void;
  /** The first request's body was built (for the key-up → request bench). */
  onFirstRequest?(bodyBytes: number): void;
  onResponse?(): void;
}

/**
 * How a turn ended: answered (the last request's finish reason), or a call was cancelled
 * without a barge-in (the catalog was disposed), which ends the turn with nothing sent.
 */
export type ToolTurnEnd = { kind: 'answered'; finishReason: string | null } | { kind: 'call-cancelled'; tool: string };

/**
 * One user turn over the chat endpoint, with the tool loop: each request declares the tools;
 * when the model calls some, every call runs (each id once, through the catalog), the round
 * goes into the history (assistant `tool_calls`, then one tool message per call, outputs
 * word for word) and the next request carries it. After MAX_TOOL_ROUNDS rounds the request
 * declares no tools and tells the model to answer with what it has. Aborting `signal`
 * (barge-in) cancels running calls; the round is then dropped, so nothing of it is sent.
 */
export class ChatToolRounds {
  /** Set once the server refused a request for declaring tools: later requests leave them out. */
  private toolsRefused = false;

  constructor(private readonly deps: ChatToolRoundsDeps) {}

  /** Rejects like streamChatCompletion: UserFacingError, or RequestCancelled once `signal` aborts. */
  async answer(turn: { model: string; userItemId: string; signal: AbortSignal }, callbacks: ToolTurnCallbacks): Promise<ToolTurnEnd> {
    const { history, connection } = this.deps;
    history.clearToolRounds(turn.userItemId);
    let shown = '';
    for (let round = 0; ; round += 1) {
      const finalAnswer = round >= MAX_TOOL_ROUNDS;
      const declared = finalAnswer || this.toolsRefused ? [] : (this.deps.tools?.chatCompletionTools() ?? []);
      const messages = this.messages(turn.userItemId, finalAnswer);
      let roundText = '';
      const stream = (tools: ChatCompletionToolDeclaration[]): Promise<ChatStreamResult> => streamChatCompletion(connection, { model: turn.model, messages, tools }, turn.signal, {
        ...(round === 0 && callbacks.onFirstRequest ? { onRequest: callbacks.onFirstRequest } : {}),
        ...(callbacks.onResponse ? { onResponse: callbacks.onResponse } : {}),
        onDelta: (delta) => {
          if (turn.signal.aborted) return;
          // Text before a tool round and the answer after it are one reply: keep the words apart.
          const gap = roundText === '' && shown !== '' && !/\s$/.test(shown) && !/^\s/.test(delta) ? ' ' : '';
          roundText += delta;
          shown += gap + delta;
          callbacks.onDelta(gap + delta);
        },
      });
      const result = await stream(declared).catch((error: unknown) => {
        if (!(error instanceof ToolsRefusedError) || declared.length === 0) throw error;
        this.toolsRefused = true;
        this.deps.log(`chat-audio: the server refuses tool calls; asking without tools from now on`);
        callbacks.onToolsRefused(error);
        return stream([]);
      });
      if (result.toolCalls.length === 0) return { kind: 'answered', finishReason: result.finishReason };
      if (finalAnswer) {
        this.deps.log(`chat-audio: the model called tools after being told to answer; they were not run`);
        return { kind: 'answered', finishReason: result.finishReason };
      }
      callbacks.onCallsRequested();
      const outcome = await this.runCalls(result.toolCalls, turn.signal);
      if (turn.signal.aborted) throw new RequestCancelled(); // a barge-in: the caller already ended the turn
      if ('cancelled' in outcome) return { kind: 'call-cancelled', tool: outcome.cancelled };
      history.addToolRound(turn.userItemId, { text: roundText, calls: outcome.calls, outputs: outcome.outputs });
      callbacks.onRoundKept();
      if (round + 1 === MAX_TOOL_ROUNDS) this.deps.log(`chat-audio: ${MAX_TOOL_ROUNDS} tool rounds for one question; asking for the answer`);
    }
  }

  /** The history for this turn; for the last request, the system message also says to answer now. */
  private messages(userItemId: string, finalAnswer: boolean): ChatMessage[] {
    const messages = this.deps.history.messagesFor(userItemId, this.deps.instructions);
    if (!finalAnswer) return messages;
    // In the leading system message, not after the tool messages: every chat template takes a
    // system message first, while some refuse one in the middle of the conversation.
    const first = messages[0];
    if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${ANSWER_NOW_INSTRUCTION}` }, ...messages.slice(1)];
    return [{ role: 'system', content: ANSWER_NOW_INSTRUCTION }, ...messages];
  }

  /** Runs every call of one round at once; all outputs come back in call order. */
  private async runCalls(calls: StreamedToolCall[], signal: AbortSignal): Promise<Pick<ToolRound, 'calls' | 'outputs'> | { cancelled: string }> {
    const results = await Promise.all(calls.map((call) => this.runCall(call, signal)));
    const cancelled = results.findIndex((result) => result.status === 'cancelled');
    if (cancelled >= 0) return { cancelled: calls[cancelled]?.name ?? '' };
    return {
      calls: calls.map((call): ChatToolCall => ({ id: call.id, type: 'function', function: { name: call.name, arguments: echoedArguments(call.arguments) } })),
      outputs: calls.map((call, index) => ({ callId: call.id, output: results[index]?.output ?? '' })),
    };
  }

  private async runCall(call: StreamedToolCall, signal: AbortSignal): Promise<{ status: string; output: string }> {
    const tools = this.deps.tools;
    if (!tools) return { status: 'failed', output: JSON.stringify({ error: `There is no function named "${call.name}".` }) };
    this.deps.log(`chat-audio: the model called ${call.name}`);
    return tools.call(call.name, call.arguments, { callId: call.id, signal });
  }
}

/**
 * The arguments as they go back in the assistant message. vLLM parses them as JSON to render
 * its chat template and refuses the request if they are not, so text that is not a JSON object
 * goes back as `{}`; the tool's output already told the model what was wrong with it.
 */
function echoedArguments(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return text;
  } catch {
    // not JSON: see above
  }
  return '{}';
}
