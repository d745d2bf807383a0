import type { AudioDevice, DeviceList } from '../../shared/ipc';
import { UserFacingError, type MessageText } from '../user-facing-error';
import { createPortAudio, type Naudiodon } from './portaudio-binding';

export type { Naudiodon };

/** naudiodon's addon, loaded directly (not through its index.js) on first use; see portaudio-binding.ts. */
export const realNaudiodon: Naudiodon = createPortAudio();

export type AudioDirection = 'input' | 'output';

export interface ResolvedAudioDevice {
  /** naudiodon's device id, for `AudioIO` options. */
  id: number;
  name: string;
  /** The rate the device runs at natively; streams open at this rate and resample. */
  sampleRate: number;
}

// PortAudio's paNoDevice (-1) arrives through N-API as an unsigned 32-bit value.
const NO_DEVICE = new Set([-1, 0xffffffff]);

interface DeviceInfo {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
}

/** Every device that can capture or play, with the system default flagged; once no stream is quitting (see portAudioIdle). */
export async function listAudioDevices(naudiodon: Naudiodon = realNaudiodon): Promise<DeviceList> {
  await portAudioIdle();
  const devices = naudiodon.getDevices();
  const defaults = defaultDeviceIds(naudiodon);
  return {
    inputs: namesFor(devices, 'input', defaults.input),
    outputs: namesFor(devices, 'output', defaults.output),
  };
}

/**
 * Finds the device to open: the exact name first, then a case-insensitive part of a name (so a
 * saved "USB Mic" still finds "USB Mic (2)"), and the system default when no name is set.
 */
export function resolveAudioDevice(
  direction: AudioDirection,
  name: string | null,
  naudiodon: Naudiodon = realNaudiodon,
): ResolvedAudioDevice {
  const candidates = naudiodon.getDevices().filter((device) => channelsFor(device, direction) > 0);
  let found: DeviceInfo | undefined;
  if (name === null) {
    const defaultId = defaultDeviceIds(naudiodon)[direction];
    found = candidates.find((device) => device.id === defaultId) ?? candidates[0];
  } else {
    const wanted = name.toLowerCase();
    found =
      candidates.find((device) => device.name === name) ?? candidates.find((device) => device.name.toLowerCase().includes(wanted));
  }
  if (found === undefined) throw deviceUnavailable(direction, name);
  return { id: found.id, name: found.name, sampleRate: Math.round(found.defaultSampleRate) };
}

export function deviceUnavailable(direction: AudioDirection, name: string | null, cause?: unknown): UserFacingError {
  const what = direction === 'input' ? 'microphone' : 'speaker';
  const code = direction === 'input' ? 'mic-unavailable' : 'speaker-unavailable';
  const message =
    name === null
      ? `No ${what} was found. Connect one, then pick it in Settings.`
      : `The ${what} "${name}" was not found. Open Settings and pick another ${what}.`;
  const text: MessageText =
    name === null
      ? { key: direction === 'input' ? 'errors.device.noMicrophone' : 'errors.device.noSpeaker' }
      : { key: direction === 'input' ? 'errors.device.microphoneNotFound' : 'errors.device.speakerNotFound', params: { name } };
  return new UserFacingError(code, message, { text, ...(cause === undefined ? {} : { cause }) });
}

function namesFor(devices: readonly DeviceInfo[], direction: AudioDirection, defaultId: number | null): AudioDevice[] {
  const seen = new Map<string, AudioDevice>();
  for (const device of devices) {
    if (channelsFor(device, direction) <= 0) continue;
    const isDefault = device.id === defaultId;
    const known = seen.get(device.name);
    // Several host APIs can list the same name; one entry each, default if any of them is.
    if (known) known.isDefault ||= isDefault;
    else seen.set(device.name, { name: device.name, isDefault });
  }
  return [...seen.values()];
}

function channelsFor(device: DeviceInfo, direction: AudioDirection): number {
  return direction === 'input' ? device.maxInputChannels : device.maxOutputChannels;
}

function defaultDeviceIds(naudiodon: Naudiodon): Record<AudioDirection, number | null> {
  const { defaultHostAPI, HostAPIs } = naudiodon.getHostAPIs();
  const host = HostAPIs.find((api) => api.id === defaultHostAPI) ?? HostAPIs[0];
  if (host === undefined) return { input: null, output: null };
  return {
    input: NO_DEVICE.has(host.defaultInput) ? null : host.defaultInput,
    output: NO_DEVICE.has(host.defaultOutput) ? null : host.defaultOutput,
  };
}

/**
 * naudiodon calls PortAudio's Pa_Initialize and Pa_Terminate, which are not thread-safe, from two
 * threads: listing devices and opening a stream on the main thread, a stream's quit (stop, close,
 * terminate) on the libuv pool. One of each at once crashes the process: a SIGSEGV in
 * Pa_Initialize's InitializeHostApis, seen in the speaker tests on a loaded machine, where a
 * reopen listed devices while the previous stream's abort ran. So every quit goes through
 * quitAudioStream, and nothing on the main thread calls into PortAudio while one runs: opens wait
 * for `portAudioIdle()` and make their calls in the same tick (findAudioDevice, DeviceStream.open).
 */
const quitsRunning = new Set<Promise<void>>();

/** Settles once no stream's quit is running (one that hangs counts as done after QUIT_HOLDS_OPENS_MS). */
export async function portAudioIdle(): Promise<void> {
  while (quitsRunning.size > 0) await Promise.all(quitsRunning);
}

/** resolveAudioDevice, once no quit is running (see portAudioIdle). */
export async function findAudioDevice(direction: AudioDirection, name: string | null, naudiodon: Naudiodon = realNaudiodon): Promise<ResolvedAudioDevice> {
  await portAudioIdle();
  return resolveAudioDevice(direction, name, naudiodon);
}

/**
 * How long opens and device lists wait for a quit still running on the pool. A quit took
 * 70–730 ms here, and a starved machine stretches that past the caller's timeout; a device
 * that hangs holds them back this long at most (its native side finishes on its own).
 */
const QUIT_HOLDS_OPENS_MS = 15_000;

/**
 * Stops a naudiodon stream. Its `quit` waits on native threads; a device that hangs must not
 * hang Parley, so the returned promise gives up waiting after `timeoutMs`. Opens still wait for
 * the quit itself (see portAudioIdle), up to `holdsOpensMs`.
 */
export function quitAudioStream(
  stream: { quit(callback?: () => void): void },
  { timeoutMs = 3000, holdsOpensMs = QUIT_HOLDS_OPENS_MS }: { timeoutMs?: number; holdsOpensMs?: number } = {},
): Promise<void> {
  const quit = new Promise<void>((resolve) => {
    try {
      stream.quit(() => resolve());
    } catch {
      resolve();
    }
  });
  // Unref'd: a hung quit must not keep a quitting process alive for the cap.
  const running = settledWithin(quit, holdsOpensMs, { unref: true });
  quitsRunning.add(running);
  void running.then(() => quitsRunning.delete(running));
  return settledWithin(quit, timeoutMs);
}

function settledWithin(promise: Promise<void>, ms: number, { unref = false } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (unref) timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
