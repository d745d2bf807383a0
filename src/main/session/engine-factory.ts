import type { DeviceList } from '../../shared/ipc';
import { MAX_PRE_ROLL_MS, type Settings } from '../../shared/settings';
import type { Microphone, Speaker } from '../audio/mic-and-speaker';
import { listAudioDevices } from '../audio/audio-devices';
import { NaudiodonMicrophone } from '../audio/naudiodon-microphone';
import { NaudiodonSpeaker } from '../audio/naudiodon-speaker';
import { createBackend, type BackendContext } from '../backends/create-backend';
import type { VoiceBackend } from '../backends/voice-backend';
import { createUiohookKeyboard, type KeyboardHook } from '../hotkey/keyboard-hook';

/**
 * Builds everything the engine makes from settings, behind one seam. The real factory makes the
 * naudiodon devices, the uiohook keyboard and the network backends; the engine's unit
 * tests pass counted stand-ins here.
 */
export interface EngineFactory {
  createMicrophone(deviceName: string | null): Microphone;
  createSpeaker(deviceName: string | null): Speaker;
  createBackend(settings: Settings, context: Omit<BackendContext, 'log'>): VoiceBackend;
  keyboard(): KeyboardHook;
  listDevices(): Promise<DeviceList>;
}

export function createRealEngineFactory(log: (message: string) => void): EngineFactory {
  let keyboard: KeyboardHook | null = null;
  return {
    // The backlog covers the longest pre-roll, so changing the setting needs no new device.
    createMicrophone: (deviceName) => new NaudiodonMicrophone({ deviceName, log, backlogMs: MAX_PRE_ROLL_MS + 200 }),
    createSpeaker: (deviceName) => new NaudiodonSpeaker({ deviceName, log }),
    createBackend: (settings, context) => createBackend(settings, { ...context, log }),
    // uiohook is one hook per process: every binding shares it.
    keyboard: () => (keyboard ??= createUiohookKeyboard()),
    listDevices: () => listAudioDevices(),
  };
}
