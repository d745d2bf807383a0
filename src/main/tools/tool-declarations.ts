/** A tool as Realtime's `session.tools` takes it. */
export interface RealtimeToolDeclaration {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool as chat completions' `tools` takes it. */
export interface ChatCompletionToolDeclaration {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/**
 * The schema as the server gives it; only a missing `type` or `properties` is filled in, as
 * openai-agents-js does, because the APIs refuse a function whose parameters are not an object schema.
 */
export function parametersOf(inputSchema: Record<string, unknown>): Record<string, unknown> {
  if (inputSchema.type !== undefined && inputSchema.properties !== undefined) return inputSchema;
  return { ...inputSchema, type: inputSchema.type ?? 'object', properties: inputSchema.properties ?? {} };
}

export function toChatCompletionTool(tool: RealtimeToolDeclaration): ChatCompletionToolDeclaration {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
