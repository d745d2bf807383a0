import type { SecretRedactor } from '../secret-redactor';
import type { ApprovalSubject, ToolApprovalPolicy } from './tool-approval-policy';
import type { ToolCallStatus, ToolEvent } from './tool-events';
import { limitOutput, resultText } from './tool-result-text';
import type { SourceTool, ToolSource } from './tool-source';

export interface ToolCallOptions {
  /** The protocol's call id: a second call with the same id gets the first call's promise. */
  callId: string;
  /** Aborting cancels the call (barge-in): MCP's cancellation is sent and the status is `cancelled`. */
  signal?: AbortSignal;
}

/** What a call ended with. `output` is what goes to the model, already cut and redacted. */
export interface ToolCallResult {
  callId: string;
  name: string;
  server: string;
  status: Exclude<ToolCallStatus, 'running'>;
  output: string;
  /** True when the tool's text was longer than MAX_TOOL_OUTPUT_CHARS and was cut. */
  truncated: boolean;
}

/** A declared tool, found by its declared name. */
export interface ResolvedTool {
  source: ToolSource;
  tool: SourceTool;
  subject: ApprovalSubject;
}

export interface ToolCallRunnerDeps {
  resolve(name: string): ResolvedTool | undefined;
  declaredNames(): string[];
  policy: ToolApprovalPolicy;
  redactor: SecretRedactor;
  timeoutMs(): number;
  emit(event: ToolEvent): void;
}

/** Results kept for late duplicates of a call id (Realtime reports each call twice, close together). */
const REMEMBERED_CALLS = 500;
const TIMED_OUT = Symbol('timed out');
const CANCELLED = Symbol('cancelled');

/**
 * Runs each call id once: parses arguments, finds the tool, asks approval, runs it with a timeout
 * and cancellation, and turns every outcome into text the model can read. Never rejects.
 */
export class ToolCallRunner {
  private readonly calls = new Map<string, Promise<ToolCallResult>>();
  private readonly running = new Set<AbortController>();

  constructor(private readonly deps: ToolCallRunnerDeps) {}

  call(name: string, argumentsJson: string, options: ToolCallOptions): Promise<ToolCallResult> {
    const known = this.calls.get(options.callId);
    if (known) return known;
    const promise = this.run(name, argumentsJson, options).catch((error: unknown) =>
      // Only a bug gets here; the model still gets an answer.
      this.finish(options.callId, name, '', {}, 'failed', `Parley could not run "${name}": ${error instanceof Error ? error.message : String(error)}`),
    );
    this.calls.set(options.callId, promise);
    if (this.calls.size > REMEMBERED_CALLS) this.calls.delete(this.calls.keys().next().value!);
    return promise;
  }

  /** Cancels every running call (the catalog is being disposed). */
  cancelAll(): void {
    for (const controller of this.running) controller.abort(CANCELLED);
  }

  private async run(name: string, argumentsJson: string, { callId, signal }: ToolCallOptions): Promise<ToolCallResult> {
    const parsed = parseArguments(argumentsJson);
    const resolved = this.deps.resolve(name);
    const server = resolved?.source.name ?? '';
    this.emit({ type: 'tool', callId, name, server, status: 'running', arguments: parsed.args ?? argumentsJson });
    if (!resolved) {
      const names = this.deps.declaredNames();
      const available = names.length > 0 ? ` The tools you can call are: ${names.join(', ')}.` : ' No tools are available right now.';
      return this.finish(callId, name, '', parsed.args ?? argumentsJson, 'failed', `There is no tool named "${name}".${available}`);
    }
    if (!parsed.args) {
      return this.finish(callId, name, server, argumentsJson, 'failed', `The arguments for "${name}" were not a valid JSON object (${parsed.problem}). Call it again with a JSON object that matches its parameters.`);
    }
    const args = parsed.args;
    const controller = new AbortController();
    const cancel = (): void => controller.abort(CANCELLED);
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    this.running.add(controller);
    try {
      const request = { callId, name, server, toolKey: resolved.subject.toolKey, description: resolved.tool.description, arguments: this.deps.redactor.redactValue(args), signal: controller.signal };
      const allowed = await this.deps.policy.decide(resolved.subject, request);
      if (controller.signal.aborted) return this.finish(callId, name, server, args, 'cancelled', 'The call was cancelled because the user interrupted.');
      if (!allowed) return this.finish(callId, name, server, args, 'denied', `The user declined to let "${name}" run. Do not call it again for this request; answer without it, or ask the user what to do.`);
      return await this.execute(resolved, name, args, callId, controller);
    } finally {
      signal?.removeEventListener('abort', cancel);
      this.running.delete(controller);
    }
  }

  private async execute(resolved: ResolvedTool, name: string, args: Record<string, unknown>, callId: string, controller: AbortController): Promise<ToolCallResult> {
    const server = resolved.source.name;
    const timeoutMs = this.deps.timeoutMs();
    // The timeout counts the tool's work only, not the time the user took to approve it.
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    // A source that ignores the signal (a built-in tool) must not hold the call past it.
    const aborted = new Promise<never>((_resolve, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    aborted.catch(() => undefined);
    try {
      const result = await Promise.race([resolved.source.call(resolved.tool.name, args, controller.signal), aborted]);
      const text = resultText(result);
      if (result.isError) return this.finish(callId, name, server, args, 'failed', `The tool "${name}" reported an error: ${text || 'no details'}`);
      return this.finish(callId, name, server, args, 'done', text);
    } catch (error) {
      const reason = controller.signal.reason;
      if (controller.signal.aborted && reason === TIMED_OUT) {
        return this.finish(callId, name, server, args, 'failed', `The tool "${name}" did not answer within ${formatSeconds(timeoutMs)}, so Parley stopped waiting. Tell the user it timed out.`);
      }
      if (controller.signal.aborted) return this.finish(callId, name, server, args, 'cancelled', 'The call was cancelled because the user interrupted.');
      return this.finish(callId, name, server, args, 'failed', `The tool "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private finish(callId: string, name: string, server: string, args: Record<string, unknown> | string, status: ToolCallResult['status'], text: string): ToolCallResult {
    const limited = limitOutput(this.deps.redactor.redact(text));
    this.emit({ type: 'tool', callId, name, server, status, arguments: args, result: limited.text });
    return { callId, name, server, status, output: limited.text, truncated: limited.truncated };
  }

  private emit(event: ToolEvent): void {
    this.deps.emit({ ...event, arguments: this.deps.redactor.redactValue(event.arguments) });
  }
}

function parseArguments(json: string): { args: Record<string, unknown>; problem?: undefined } | { args?: undefined; problem: string } {
  if (json.trim() === '') return { args: {} };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `got ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'null' : `a ${typeof value}`}` };
  return { args: value as Record<string, unknown> };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} second${seconds === 1 ? '' : 's'}`;
}
