import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { ANSWER_NOW_INSTRUCTION, MAX_TOOL_ROUNDS, type BackendTools } from '../backend-tools';
import type { ResponseState } from './response-state';

export interface RealtimeToolCallsDeps {
  tools: BackendTools | null;
  log: (msg: string) => void;
  send(event: RealtimeClientEvent): string | null;
  /** The session's one response: the one that made the calls must end before the next is asked for. */
  responses: Pick<ResponseState, 'busy' | 'request'>;
  /** Called whenever the conversation may have gone quiet. */
  idle(): void;
}

/**
 * The function calls of a Realtime session: each call id runs once (the server reports a call
 * twice, at function_call_arguments.done and output_item.done); every output goes back as a
 * function_call_output item; one response.create follows once all of them are in and the
 * response that made the calls is over. A barge-in cancels the calls still running, and their
 * outputs are not sent. After MAX_TOOL_ROUNDS rounds for one question, the model is told to
 * answer with what it has.
 */
export class RealtimeToolCalls {
  private readonly answered = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  private followUp = false;
  private rounds = 0;

  constructor(private readonly deps: RealtimeToolCallsDeps) {}

  /** A call is running, or its answer is still to be asked for: the reply is not over. */
  get awaiting(): boolean {
    return this.running.size > 0 || this.followUp;
  }

  /** A new socket: the old one's calls are gone with it. */
  startSocket(): void {
    this.cancelAll();
    this.answered.clear();
    this.followUp = false;
  }

  /** A new question from the user: it gets its own tool rounds. */
  newTurn(): void {
    this.rounds = 0;
  }

  /** The user barged in: calls still running are cancelled, and no reply is asked for. */
  interrupt(): void {
    this.cancelAll();
    this.followUp = false;
  }

  call(callId: string, name: string, argumentsJson: string): void {
    if (this.answered.has(callId)) return;
    this.answered.add(callId);
    this.followUp = true;
    const tools = this.deps.tools;
    if (!tools) {
      this.sendOutput(callId, JSON.stringify({ error: `There is no function named "${name}".` }));
      return;
    }
    const controller = new AbortController();
    this.running.set(callId, controller);
    this.deps.log(`realtime: the model called ${name}`);
    void tools.call(name, argumentsJson, { callId, signal: controller.signal }).then((result) => {
      if (this.running.get(callId) !== controller) return; // cancelled, or a new socket
      this.running.delete(callId);
      // A cancelled call gets no output: the user moved on, and the model hears so from the truncate.
      if (result.status !== 'cancelled') this.sendOutput(callId, result.output);
      this.followUpWhenReady();
      this.deps.idle();
    });
  }

  /** The response that made the calls has ended (or any response did). */
  responseEnded(status: string): void {
    if (status !== 'completed') this.followUp = false;
    this.followUpWhenReady();
  }

  /** Whether a response that just ended is only the first half of the reply. */
  continuesAfter(status: string): boolean {
    return this.followUp && status === 'completed';
  }

  private sendOutput(callId: string, output: string): void {
    this.deps.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output } });
  }

  private followUpWhenReady(): void {
    if (!this.followUp || this.running.size > 0 || this.deps.responses.busy) return;
    this.followUp = false;
    this.rounds += 1;
    const finalAnswer = this.rounds >= MAX_TOOL_ROUNDS;
    if (finalAnswer) {
      this.deps.log(`realtime: ${MAX_TOOL_ROUNDS} tool rounds for one question; asking for the answer`);
      this.deps.send({ type: 'conversation.item.create', item: { type: 'message', role: 'system', content: [{ type: 'input_text', text: ANSWER_NOW_INSTRUCTION }] } });
    }
    this.deps.responses.request(finalAnswer);
  }

  private cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}
