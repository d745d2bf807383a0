import { UserFacingError } from '../user-facing-error';

/** What the user is told when the speaker cannot be used, each with what to do about it. */

export function speakerOpenFailed(name: string, error: unknown): UserFacingError {
  return new UserFacingError(
    'speaker-unavailable',
    `Parley could not open the speaker "${name}" (${describeError(error)}). Check that it is connected, or pick another in Settings.`,
    { action: 'open-settings', cause: error },
  );
}

export function speakerDoesNotPlay(name: string): UserFacingError {
  return new UserFacingError(
    'speaker-unavailable',
    `The speaker "${name}" opened but does not play. Check that it is connected, or pick another in Settings.`,
    { action: 'open-settings' },
  );
}

/** `name`: the device as the user chose it, or null for the system default. */
export function speakerStoppedWorking(name: string | null, error: unknown): UserFacingError {
  return new UserFacingError(
    'speaker-unavailable',
    `The speaker${name === null ? '' : ` "${name}"`} stopped working. Check that it is connected, or pick another in Settings.`,
    { action: 'open-settings', cause: error },
  );
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
