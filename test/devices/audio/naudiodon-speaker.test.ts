import { afterEach, describe, expect, it } from 'vitest';
import { NaudiodonSpeaker } from '../../../src/main/audio/naudiodon-speaker';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { SPEAKER_SINK } from '../../support/pulse-server';
import { bestAlignment, firstLoud, lastLoudEnd, makeSpeech, record } from './audio-fixtures';

const logs: string[] = [];
const log = (message: string): void => {
  logs.push(message);
};
const MONITOR = `${SPEAKER_SINK}.monitor`;
let speaker: NaudiodonSpeaker | null = null;

afterEach(async () => {
  await speaker?.dispose();
  speaker = null;
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function sine(seconds: number, hz = 440): Int16Array {
  const out = new Int16Array(Math.round(24_000 * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / 24_000));
  return out;
}

describe('NaudiodonSpeaker on the PulseAudio test speaker', () => {
  it('plays streamed reply audio out of the speaker, whole', async () => {
    const speech = makeSpeech('This is the assistant answering you out loud.', 'speaker-play');
    speaker = new NaudiodonSpeaker({ deviceName: null, log });
    const started: string[] = [];
    let drained = 0;
    speaker.onPlaybackStarted((itemId) => started.push(itemId));
    speaker.onDrained(() => drained++);
    await speaker.open();
    const recorder = record(MONITOR);
    // Stream it the way deltas arrive: uneven pieces, one after another.
    for (let offset = 0, n = 0; offset < speech.pcm24k.length; n++) {
      const size = [2400, 4800, 1234][n % 3];
      speaker.play('item_a', speech.pcm24k.subarray(offset, offset + size));
      offset += size;
    }
    expect(speaker.isPlaying).toBe(true);
    await until(() => drained > 0);
    expect(speaker.isPlaying).toBe(false);
    const recorded = await recorder.stop();

    expect(started).toEqual(['item_a']);
    const threshold = 300;
    const spokenInSource = lastLoudEnd(speech.pcm24k, threshold) - firstLoud(speech.pcm24k, threshold);
    const spokenOut = lastLoudEnd(recorded, threshold) - firstLoud(recorded, threshold);
    // Same length to within 2 ms, and the same waveform (measured here: 0.9999).
    expect(Math.abs(spokenOut - spokenInSource)).toBeLessThanOrEqual(48);
    const { correlation } = bestAlignment(recorded, speech.pcm24k);
    // See the reopen test below for why not 0.99.
    expect(correlation).toBeGreaterThan(0.97);
  });

  // The periods Parley plays at: it starts at 20 ms and steps to 40 ms (10 ms fell into underrun storms).
  it.each([20, 40])('stops within a few %i ms periods and reports how much of the item was heard', async (periodMs) => {
    speaker = new NaudiodonSpeaker({ deviceName: null, log, periodMs });
    await speaker.open();
    const recorder = record(MONITOR);
    const tone = sine(5);
    // Watch the recording as it arrives and stop once a second of tone has come out.
    const toneSoFar = (): number => {
      const all = recorder.snapshot();
      const start = firstLoud(all, 1000);
      return start < 0 ? 0 : all.length - start;
    };
    speaker.play('item_tone', tone);
    await until(() => toneSoFar() >= 24_000);
    const heardAtStop = toneSoFar();
    const heard = speaker.stop();
    expect(speaker.isPlaying).toBe(false);
    // Keep recording half a second more (counted in recorded samples) to catch any late audio.
    const lengthAtStop = recorder.snapshot().length;
    await until(() => recorder.snapshot().length >= lengthAtStop + 12_000);
    const all = await recorder.stop();

    expect(heard).not.toBeNull();
    if (heard === null) return;
    expect(heard.itemId).toBe('item_tone');
    expect(Number.isInteger(heard.audioEndMs)).toBe(true);
    expect(heard.audioEndMs).toBeLessThanOrEqual(5000);
    const toneStart = firstLoud(all, 1000);
    const toneEnd = lastLoudEnd(all, 1000);
    const toneOut = toneEnd - toneStart;
    const afterStop = toneOut - heardAtStop;
    // Bounded tail: naudiodon's queue (≤ 3 periods) plus PulseAudio's and parec's buffering (≤ 100 ms here).
    expect(afterStop).toBeLessThanOrEqual(24 * (3 * periodMs + 100));
    // The count matches what came out (measured here: to the sample); allow 5 ms for rounding and edges.
    expect(Math.abs(toneOut - heard.audioEndMs * 24)).toBeLessThanOrEqual(120);
    // Silence after the tone: nothing queued leaks out later.
    expect(lastLoudEnd(all, 300)).toBeLessThanOrEqual(toneEnd + 24);
  });

  it('closes after idleCloseMs with nothing to play, and play() reopens it and plays the whole clip', async () => {
    const speech = makeSpeech('The speaker woke up again to say this.', 'speaker-reopen');
    // The default periods. A fresh stream starts in an underrun storm that swallows what is
    // written (see OutputDeviceStream); the audio queued while closed must wait it out, whole.
    speaker = new NaudiodonSpeaker({ deviceName: null, log, idleCloseMs: 300 });
    const started: string[] = [];
    let drained = 0;
    speaker.onPlaybackStarted((itemId) => started.push(itemId));
    speaker.onDrained(() => drained++);
    await speaker.open();
    expect(speaker.isOpen).toBe(true);
    await until(() => !speaker?.isOpen);

    // No second stream keeps the sink running: the speaker's own silence does, before any of the
    // clip is handed to the device.
    const recorder = record(MONITOR);
    await until(() => recorder.snapshot().length >= 2400);
    for (let offset = 0; offset < speech.pcm24k.length; offset += 4800) {
      speaker.play('item_b', speech.pcm24k.subarray(offset, offset + 4800));
      // Queued while the device reopens.
      expect(speaker.isPlaying).toBe(true);
    }
    await until(() => drained > 0);
    expect(speaker.isOpen).toBe(true);
    const recorded = await recorder.stop();

    expect(started).toEqual(['item_b']);
    const threshold = 300;
    expect(firstLoud(recorded, threshold)).toBeGreaterThan(2400);
    const spokenInSource = lastLoudEnd(speech.pcm24k, threshold) - firstLoud(speech.pcm24k, threshold);
    const spokenOut = lastLoudEnd(recorded, threshold) - firstLoud(recorded, threshold);
    expect(Math.abs(spokenOut - spokenInSource)).toBeLessThanOrEqual(48);
    // 0.999 on a quiet machine; one buffer underrun on a loaded CI machine costs ~0.015, while a
    // wrong, clipped or reordered clip scores far below 0.9.
    expect(bestAlignment(recorded, speech.pcm24k).correlation).toBeGreaterThan(0.97);
    // The count survives the reopen: all of it was heard.
    const heard = speaker.stop();
    expect(heard?.itemId).toBe('item_b');
    expect(Math.abs((heard?.audioEndMs ?? 0) - (speech.pcm24k.length * 1000) / 24_000)).toBeLessThanOrEqual(1);
    // And once drained it closes again by itself.
    await until(() => !speaker?.isOpen);
  });

  it('reports nothing heard when stopped before an item started', async () => {
    speaker = new NaudiodonSpeaker({ deviceName: null, log });
    await speaker.open();
    expect(speaker.stop()).toBeNull();
  });

  it('names a speaker that does not exist and points to Settings', async () => {
    speaker = new NaudiodonSpeaker({ deviceName: 'Living Room Bluetooth', log });
    const error: unknown = await speaker.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    const userError = error as UserFacingError;
    expect(userError.code).toBe('speaker-unavailable');
    expect(userError.action).toBe('open-settings');
    expect(userError.message).toContain('"Living Room Bluetooth"');
    expect(speaker.isOpen).toBe(false);
  });
});
