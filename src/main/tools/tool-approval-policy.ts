/**
 * Which tools run without asking (headless `--allow-tools`):
 * - `read-only` (default): built-in tools and tools marked `readOnlyHint: true`; others ask.
 * - `all`: every tool.
 * - `none`: no tool; every call asks (and without someone to ask, is denied).
 */
export const TOOL_APPROVAL_MODES = ['read-only', 'all', 'none'] as const;
export type ToolApprovalMode = (typeof TOOL_APPROVAL_MODES)[number];

export type ApprovalAnswer = 'allow-once' | 'always-allow' | 'deny';

/** What the approval card shows. `signal` aborts when the call is cancelled (barge-in): close the card. */
export interface ApprovalRequest {
  callId: string;
  /** The name declared to the model. */
  name: string;
  server: string;
  /** The tool's key for "always allow": `server/originalName`. */
  toolKey: string;
  description: string;
  arguments: Record<string, unknown>;
  signal: AbortSignal;
}

export interface ToolApprovalPolicyOptions {
  mode: ToolApprovalMode;
  /** Tool keys (`server/originalName`) the user chose to always allow. */
  alwaysAllowed?: Iterable<string>;
  /** Asks the user; without it, a call that needs asking is denied (headless). */
  approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  /** Told when the user picks "Always allow this tool", so the caller can save it. */
  onAlwaysAllow?: (toolKey: string) => void;
}

export interface ApprovalSubject {
  toolKey: string;
  readOnly: boolean;
  builtIn: boolean;
}

/** Decides, per call, whether a tool may run: by mode, by the "always allow" memory, or by asking. */
export class ToolApprovalPolicy {
  private readonly alwaysAllowed: Set<string>;

  constructor(private readonly options: ToolApprovalPolicyOptions) {
    this.alwaysAllowed = new Set(options.alwaysAllowed ?? []);
  }

  get mode(): ToolApprovalMode {
    return this.options.mode;
  }

  /** True when the call runs without asking. */
  allowsWithoutAsking(subject: ApprovalSubject): boolean {
    if (this.options.mode === 'all') return true;
    if (this.alwaysAllowed.has(subject.toolKey)) return true;
    return this.options.mode === 'read-only' && (subject.builtIn || subject.readOnly);
  }

  /** Resolves true to run. Never rejects: a hook that fails or is aborted counts as a denial. */
  async decide(subject: ApprovalSubject, request: ApprovalRequest): Promise<boolean> {
    if (this.allowsWithoutAsking(subject)) return true;
    if (!this.options.approve || request.signal.aborted) return false;
    let answer: ApprovalAnswer;
    try {
      // A cancelled call stops waiting even if the card never answers.
      answer = await Promise.race([this.options.approve(request), abortOf(request.signal)]);
    } catch {
      return false;
    }
    if (answer === 'always-allow') {
      this.alwaysAllowed.add(subject.toolKey);
      this.options.onAlwaysAllow?.(subject.toolKey);
    }
    return answer !== 'deny';
  }

  forget(toolKey: string): void {
    this.alwaysAllowed.delete(toolKey);
  }
}

function abortOf(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
