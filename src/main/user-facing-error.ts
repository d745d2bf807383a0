import type { ErrorAction, ErrorCode, ErrorEvent } from '../shared/engine-events';
import { ERROR_POLICY, recoveryOf, type Recovery } from '../shared/error-policy';

/**
 * Where `message` comes from in src/shared/i18n: its key and values. The English template
 * with these values must give exactly `message` (test/unit/i18n/error-messages.test.ts).
 */
export interface MessageText {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * An error whose message is written for the person using Parley: it says what went wrong
 * and what to do about it. Engine code throws or reports these; anything else that escapes
 * is wrapped by `toUserFacingError` so no raw stack trace ever reaches the window.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** `action`: only where it differs from the code's in ERROR_POLICY; null offers nothing. */
    readonly options: { action?: ErrorAction | null; cause?: unknown; text?: MessageText } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** What the window offers beside the message: the error's own, or its code's (ERROR_POLICY). */
  get action(): ErrorAction | undefined {
    const own = this.options.action;
    return own === null ? undefined : (own ?? ERROR_POLICY[this.code].action);
  }

  /** Whether the session can go on, may go on once the settings change, or cannot; see ERROR_POLICY. */
  get recovery(): Recovery {
    return recoveryOf(this.code);
  }

  toEvent(): ErrorEvent {
    const text = this.options.text;
    return {
      type: 'error',
      code: this.code,
      message: this.message,
      ...(this.action ? { action: this.action } : {}),
      ...(text ? { messageKey: text.key, ...(text.params ? { params: text.params } : {}) } : {}),
    };
  }
}

/**
 * `error` with one more sentence after its own: what Parley did about it. The follow-up's
 * template begins with `$t({{problem}})`, so i18next nests the first error's own translation
 * there (with its params) and the window shows both sentences in its language. An unkeyed
 * `error` gives an unkeyed result: its English sentence has no translation to nest.
 * `action`: what the follow-up offers, when not its code's default; null offers nothing.
 */
export function withFollowUp(error: UserFacingError, followUp: { key: string; english: string }, action?: ErrorAction | null): UserFacingError {
  const inner = error.options.text;
  return new UserFacingError(error.code, `${error.message} ${followUp.english}`, {
    ...(action !== undefined ? { action } : {}),
    ...(inner ? { text: { key: followUp.key, params: { ...inner.params, problem: inner.key } } } : {}),
  });
}

/** An error's own words, for a sentence or a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function toUserFacingError(error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const detail = describeError(error);
  return new UserFacingError('internal', `Something went wrong inside Parley (${detail}). Try again; if it keeps happening, restart Parley.`, {
    cause: error,
    text: { key: 'errors.internal', params: { detail } },
  });
}
