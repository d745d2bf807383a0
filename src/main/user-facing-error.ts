import type { ErrorAction, ErrorCode, ErrorEvent } from '../shared/engine-events';
import { ERROR_POLICY, recoveryOf, type Recovery } from '../shared/error-policy';

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
    readonly options: { action?: ErrorAction; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** What the window offers beside the message: the error's own, or its code's (ERROR_POLICY). */
  get action(): ErrorAction | undefined {
    return this.options.action ?? ERROR_POLICY[this.code].action;
  }

  /** Whether the session can go on, may go on once the settings change, or cannot; see ERROR_POLICY. */
  get recovery(): Recovery {
    return recoveryOf(this.code);
  }

  toEvent(): ErrorEvent {
    return { type: 'error', code: this.code, message: this.message, ...(this.action ? { action: this.action } : {}) };
  }
}

export function toUserFacingError(error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new UserFacingError('internal', `Something went wrong inside Parley (${detail}). Try again; if it keeps happening, restart Parley.`, {
    cause: error,
  });
}
