import type { McpServerConfig } from './mcp-server-config';

/**
 * Shortest value treated as a secret. Shorter `env`/`headers` values ("1", "true", "dev") are
 * switches, not tokens, and blanking them everywhere they occur would garble ordinary text.
 */
export const MIN_SECRET_LENGTH = 5;
const MASK = '[redacted]';

/** The servers' `env` and `headers` values, and for "Bearer abc…" the credential alone, which a message may quote too. */
export function secretValuesOf(configs: readonly McpServerConfig[]): string[] {
  const values = new Set<string>();
  for (const config of configs) {
    const map = config.transport === 'stdio' ? config.env : config.headers;
    for (const value of Object.values(map)) {
      values.add(value);
      const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      if (credential) values.add(credential);
    }
  }
  return [...values];
}

/**
 * Blanks the values of every server's `env` and `headers` out of any text that leaves the tool
 * layer: status reasons, stderr tails, SDK error messages, tool results and events.
 */
export class SecretRedactor {
  private secrets: string[] = [];

  constructor(configs: readonly McpServerConfig[] = []) {
    this.update(configs);
  }

  update(configs: readonly McpServerConfig[]): void {
    // Longest first, so a token is masked whole before any shorter value inside it.
    this.secrets = secretValuesOf(configs)
      .filter((value) => value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
  }

  /** Redacts every string inside a JSON-like value (tool arguments). */
  redactValue<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactValue(item)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactValue(item)])) as T;
    }
    return value;
  }
}
