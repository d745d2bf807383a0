/**
 * Keeps secrets out of everything Parley writes down or passes on: the API key and MCP
 * servers' tokens (their `env` values and `headers`), in log lines, copied diagnostics, tool
 * servers' messages and tool results. One instance per consumer; each says which secrets it
 * knows, in groups ("api-key", "mcp") that can be replaced on their own.
 */
const REDACTED = '[redacted]';
/**
 * Shorter values ("1", "true", "dev", a port) are switches, not tokens, and blanking them
 * everywhere they occur would garble ordinary text.
 */
export const MIN_SECRET_LENGTH = 5;

/**
 * Shapes of credentials Parley was never told about (a server may echo one back in an error).
 * Only for text written down: a tool's result may rightly hold "token: …" for the model.
 */
const CREDENTIAL_SHAPES: Array<[RegExp, string]> = [
  // Authorization: Bearer abc / "authorization":"Bearer abc" / api-key: abc / x-api-key=abc
  [/((?:authorization|proxy-authorization|api[-_]?key|x-api-key|token|secret|password)["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^\s"',;&]+/gi, `$1${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `Bearer ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
];

export interface SecretRedactorOptions {
  /** Also blank anything shaped like an Authorization header or an OpenAI-style key (logs, diagnostics). */
  credentialShapes?: boolean;
}

export class SecretRedactor {
  private secrets: string[] = [];
  private readonly groups = new Map<string, string[]>();

  constructor(private readonly options: SecretRedactorOptions = {}) {}

  /** Replaces the secrets known under `group` (for example "api-key" or "mcp"). */
  setSecrets(group: string, values: Iterable<string | null | undefined>): void {
    this.groups.set(group, [...values].filter((value): value is string => typeof value === 'string' && value.trim().length >= MIN_SECRET_LENGTH));
    // Longest first, so a secret that contains another is blanked out whole.
    this.secrets = [...new Set([...this.groups.values()].flat())].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (this.options.credentialShapes) for (const [pattern, replacement] of CREDENTIAL_SHAPES) out = out.replace(pattern, replacement);
    return out;
  }

  /** Redacts every string inside a JSON-like value (tool arguments). */
  redactValue<T>(value: T): T {
    if (this.secrets.length === 0 && !this.options.credentialShapes) return value;
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactValue(item)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactValue(item)])) as T;
    }
    return value;
  }
}
