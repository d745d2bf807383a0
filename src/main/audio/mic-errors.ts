import { describeError, UserFacingError, type MessageText } from '../user-facing-error';
import { deviceUnavailable } from './audio-devices';

/** What the user is told when the microphone cannot be used, each with what to do about it. */

/** `name`: the device as the user chose it, or null for the system default. */
const theMicrophone = (name: string | null): string => `The microphone${name === null ? '' : ` "${name}"`}`;

/** The key for a sentence that names the device, or its `Default` form for the system default. */
const named = (key: string, name: string | null): MessageText => (name === null ? { key: `${key}Default` } : { key, params: { name } });

export function micOpenFailed(name: string, error: unknown): UserFacingError {
  const detail = describeError(error);
  if (/no default device/i.test(detail)) return deviceUnavailable('input', null, error);
  return new UserFacingError(
    'mic-unavailable',
    `Parley could not open the microphone "${name}" (${detail}). Check that it is connected and not used by another app, or pick another in Settings.`,
    { cause: error, text: { key: 'errors.microphone.openFailed', params: { name, detail } } },
  );
}

export function micSendsNoSound(name: string): UserFacingError {
  return new UserFacingError(
    'mic-unavailable',
    `The microphone "${name}" opened but sends no sound. Check that it is connected and not muted, or pick another in Settings.`,
    { text: { key: 'errors.microphone.noSound', params: { name } } },
  );
}

export function micStoppedSending(name: string | null): UserFacingError {
  return new UserFacingError(
    'mic-unavailable',
    `${theMicrophone(name)} stopped sending sound: it may have been unplugged or switched off. Check it, or pick another in Settings.`,
    { text: named('errors.microphone.stoppedSending', name) },
  );
}

export function micFailed(name: string | null, error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  return new UserFacingError('mic-unavailable', `${theMicrophone(name)} stopped working. Check that it is connected, or pick another in Settings.`, {
    cause: error,
    text: named('errors.microphone.stoppedWorking', name),
  });
}
