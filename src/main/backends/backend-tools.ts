import type { ChatCompletionToolDeclaration, RealtimeToolDeclaration, ToolCallOptions, ToolCallResult } from '../tools/tool-catalog';

/**
 * What a backend needs of the tools (ToolCatalog provides it): the declarations in its
 * protocol's shape, a change signal to declare them again, and the one way to run a call,
 * which never rejects and runs each call id once.
 */
export interface BackendTools {
  realtimeTools(): RealtimeToolDeclaration[];
  chatCompletionTools(): ChatCompletionToolDeclaration[];
  call(name: string, argumentsJson: string, options: ToolCallOptions): Promise<ToolCallResult>;
  onDidChangeTools(listener: () => void): () => void;
}

/** Tool rounds the model may take for one question; then it is told to answer with what it has. */
export const MAX_TOOL_ROUNDS = 5;

/** Said to the model when it has used its tool rounds for one question. */
export const ANSWER_NOW_INSTRUCTION =
  'You have used the tools as many times as allowed for this question. Do not call any more tools: answer now with what you have.';
