import { describe, expect, it } from 'vitest';
import { listAudioDevices, resolveAudioDevice, type Naudiodon } from '../../../src/main/audio/audio-devices';
import { UserFacingError } from '../../../src/main/user-facing-error';

// A stand-in device table: this machine has only PulseAudio's "pulse" and "default", so the
// name matching (several devices, defaults, duplicates) cannot be exercised on real hardware here.
// The real listing is covered in test/devices/audio.
function fakeNaudiodon(defaultInput: number, defaultOutput: number): Naudiodon {
  const device = (id: number, name: string, inputs: number, outputs: number, rate: number) => ({
    id,
    name,
    maxInputChannels: inputs,
    maxOutputChannels: outputs,
    defaultSampleRate: rate,
    defaultLowInputLatency: 0,
    defaultLowOutputLatency: 0,
    defaultHighInputLatency: 0,
    defaultHighOutputLatency: 0,
    hostAPIName: 'ALSA',
  });
  return {
    getDevices: () => [
      device(0, 'HDA Intel PCH: ALC257 Analog', 2, 2, 44_100),
      device(1, 'USB Mic (2)', 1, 0, 48_000),
      device(2, 'usb mic', 1, 0, 16_000),
      device(3, 'HDMI Output', 0, 8, 48_000),
      device(4, 'HDMI Output', 0, 2, 48_000),
    ],
    getHostAPIs: () => ({
      defaultHostAPI: 0,
      HostAPIs: [{ id: 0, name: 'ALSA', type: 'ALSA', deviceCount: 5, defaultInput, defaultOutput }],
    }),
    AudioIO: () => {
      throw new Error('not used here');
    },
  } as Naudiodon;
}

describe('listAudioDevices', () => {
  it('splits inputs from outputs, flags the defaults and lists each name once', async () => {
    expect(await listAudioDevices(fakeNaudiodon(1, 3))).toEqual({
      inputs: [
        { name: 'HDA Intel PCH: ALC257 Analog', isDefault: false },
        { name: 'USB Mic (2)', isDefault: true },
        { name: 'usb mic', isDefault: false },
      ],
      outputs: [
        { name: 'HDA Intel PCH: ALC257 Analog', isDefault: false },
        { name: 'HDMI Output', isDefault: true },
      ],
    });
  });

  it('flags nothing when the system has no default (paNoDevice arrives as 2^32-1)', async () => {
    const list = await listAudioDevices(fakeNaudiodon(0xffffffff, 0xffffffff));
    expect([...list.inputs, ...list.outputs].some((d) => d.isDefault)).toBe(false);
  });
});

describe('resolveAudioDevice', () => {
  const naudiodon = fakeNaudiodon(1, 3);

  it('prefers the exact name over a looser match', () => {
    expect(resolveAudioDevice('input', 'usb mic', naudiodon)).toEqual({ id: 2, name: 'usb mic', sampleRate: 16_000 });
  });

  it('falls back to a case-insensitive part of a name', () => {
    expect(resolveAudioDevice('input', 'ALC257', naudiodon).id).toBe(0);
    expect(resolveAudioDevice('input', 'USB MIC (', naudiodon)).toEqual({ id: 1, name: 'USB Mic (2)', sampleRate: 48_000 });
  });

  it('only matches devices that work in the asked direction', () => {
    expect(() => resolveAudioDevice('input', 'HDMI', naudiodon)).toThrow(UserFacingError);
    expect(resolveAudioDevice('output', 'hdmi', naudiodon).id).toBe(3);
  });

  it('uses the system default when no name is set, at its own rate', () => {
    expect(resolveAudioDevice('input', null, naudiodon)).toEqual({ id: 1, name: 'USB Mic (2)', sampleRate: 48_000 });
    expect(resolveAudioDevice('output', null, naudiodon).id).toBe(3);
  });

  it('explains a missing device in words and points to Settings', () => {
    let caught: unknown;
    try {
      resolveAudioDevice('output', 'Kitchen Speaker', naudiodon);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserFacingError);
    const error = caught as UserFacingError;
    expect(error.code).toBe('speaker-unavailable');
    expect(error.action).toBe('open-settings');
    expect(error.message).toBe('The speaker "Kitchen Speaker" was not found. Open Settings and pick another speaker.');
  });
});
