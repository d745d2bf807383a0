/**
 * Most characters of one tool result passed to the model. About 4,000 tokens: a Realtime session
 * re-bills its whole context on every response and gpt-realtime's context is 32k tokens, so one
 * chatty tool (a file dump, a web page) must not crowd out the conversation. Spoken answers never
 * need more than this.
 */
export const MAX_TOOL_OUTPUT_CHARS = 16_000;

/** The parts of an MCP `tools/call` result this layer reads (the SDK's CallToolResult). */
export interface McpCallResult {
  content?: ReadonlyArray<{ type: string; [key: string]: unknown }>;
  structuredContent?: unknown;
  isError?: boolean;
}

/**
 * A tool result as text for the model: text parts joined word for word with blank lines, other
 * parts named in brackets (a voice model cannot look at a picture), `structuredContent` as JSON
 * when there is no content.
 */
export function resultText(result: McpCallResult): string {
  const parts = (result.content ?? []).map(describePart);
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n\n');
}

/** Cuts text to MAX_TOOL_OUTPUT_CHARS and says so at the end, so the model knows it saw a part. */
export function limitOutput(text: string, limit = MAX_TOOL_OUTPUT_CHARS): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  return { text: `${text.slice(0, limit)}\n[Cut by Parley: the tool returned ${text.length} characters; only the first ${limit} are shown.]`, truncated: true };
}

function describePart(part: { type: string; [key: string]: unknown }): string {
  switch (part.type) {
    case 'text':
      return String(part.text ?? '');
    case 'image':
    case 'audio':
      return `[${part.type}: ${String(part.mimeType ?? 'unknown type')}, ${sizeOf(part.data)}, not shown]`;
    case 'resource_link':
      return `[link: ${String(part.name ?? '')} ${String(part.uri ?? '')}]`.replace(/ +\]/, ']');
    case 'resource': {
      const resource = (part.resource ?? {}) as { uri?: string; text?: string; mimeType?: string };
      if (typeof resource.text === 'string') return resource.text;
      return `[resource: ${resource.uri ?? 'unnamed'}${resource.mimeType ? ` (${resource.mimeType})` : ''}, not shown]`;
    }
    default:
      return `[${part.type} content, not shown]`;
  }
}

function sizeOf(base64: unknown): string {
  if (typeof base64 !== 'string') return 'size unknown';
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`;
}
