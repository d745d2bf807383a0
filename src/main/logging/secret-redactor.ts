/**
 * Keeps secrets out of everything Parley writes down: the API key, MCP servers' tokens (their
 * `env` values and `headers`), and anything that looks like an Authorization header or an
 * OpenAI-style key even when Parley was never told it is a secret (a server may echo one
 * back in an error). Every log line and every copied diagnostic passes through `redact`.
 */
const REDACTED = '[redacted]';
/** Shorter values (`1`, `true`, a port) would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization: Bearer abc / "authorization":"Bearer abc" / api-key: abc / x-api-key=abc
  [/((?:authorization|proxy-authorization|api[-_]?key|x-api-key|token|secret|password)["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^\s"',;&]+/gi, `$1${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `Bearer ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
];

export class SecretRedactor {
  private secrets: string[] = [];
  private readonly groups = new Map<string, string[]>();

  /** Replaces the secrets known under `group` (for example "api-key" or "mcp"). */
  setSecrets(group: string, values: Iterable<string | null | undefined>): void {
    this.groups.set(group, [...values].filter((value): value is string => typeof value === 'string' && value.trim().length >= MIN_SECRET_LENGTH));
    // Longest first, so a secret that contains another is blanked out whole.
    this.secrets = [...new Set([...this.groups.values()].flat())].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
