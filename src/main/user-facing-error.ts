import type { ErrorAction, ErrorCode, ErrorEvent } from '../shared/engine-events';

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
    readonly options: { action?: ErrorAction; fatal?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get action(): ErrorAction | undefined {
    return this.options.action;
  }

  /** Fatal errors end the connection; the rest leave the session usable. */
  get fatal(): boolean {
    return this.options.fatal ?? false;
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
