import { describeError, UserFacingError } from '../user-facing-error';

/** What the user is told when the speaker cannot be used, each with what to do about it and a key for the window's language. */

export function speakerOpenFailed(name: string, error: unknown): UserFacingError {
  const detail = describeError(error);
  return new UserFacingError('speaker-unavailable', `Parley could not open the speaker "${name}" (${detail}). Check that it is connected, or pick another in Settings.`, {
    cause: error,
    text: { key: 'errors.speaker.openFailed', params: { name, detail } },
  });
}

export function speakerDoesNotPlay(name: string): UserFacingError {
  return new UserFacingError('speaker-unavailable', `The speaker "${name}" opened but does not play. Check that it is connected, or pick another in Settings.`, {
    text: { key: 'errors.speaker.doesNotPlay', params: { name } },
  });
}

/** `name`: the device as the user chose it, or null for the system default. */
export function speakerStoppedWorking(name: string | null, cause: unknown): UserFacingError {
  return new UserFacingError(
    'speaker-unavailable',
    `The speaker${name === null ? '' : ` "${name}"`} stopped working. Check that it is connected, or pick another in Settings.`,
    { cause, text: name === null ? { key: 'errors.speaker.stoppedWorkingDefault' } : { key: 'errors.speaker.stoppedWorking', params: { name } } },
  );
}
