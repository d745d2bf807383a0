import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';

/** A function the model may call. `run` gets the parsed arguments; its result is sent back as JSON. */
export interface RealtimeTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  run(args: unknown): unknown;
}

/**
 * The functions declared to the model, and the answer to each call: the tool's result, or an
 * error object the model can read and carry on from (unknown tool, bad JSON, a tool that threw).
 */
export class RealtimeToolRegistry {
  private readonly tools = new Map<string, RealtimeTool>();

  constructor(tools: readonly RealtimeTool[] = []) {
    for (const tool of tools) this.tools.set(tool.name, tool);
  }

  declarations(): RealtimeFunctionTool[] {
    return [...this.tools.values()].map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters }));
  }

  /** Always resolves to a JSON string: a failing tool must not leave the model waiting. */
  async call(name: string, argumentsJson: string): Promise<string> {
    const tool = this.tools.get(name);
    if (!tool) return JSON.stringify({ error: `There is no function named "${name}".` });
    let args: unknown;
    try {
      args = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
    } catch {
      return JSON.stringify({ error: `The arguments for "${name}" were not valid JSON.` });
    }
    try {
      const result = await tool.run(args);
      return JSON.stringify(result === undefined ? { ok: true } : result);
    } catch (error) {
      return JSON.stringify({ error: `"${name}" failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
