import { afterEach, describe, expect, it } from 'vitest';
import { listAudioDevices } from '../../../src/main/audio/audio-devices';
import { NaudiodonMicrophone } from '../../../src/main/audio/naudiodon-microphone';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { MIC_SINK } from '../../support/pulse-server';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bestAlignment, concat, firstLoud, lastLoudEnd, makeSpeech, playInto, workDir } from './audio-fixtures';

const logs: string[] = [];
const log = (message: string): void => {
  logs.push(message);
};
let microphone: NaudiodonMicrophone | null = null;

afterEach(async () => {
  await microphone?.dispose();
  microphone = null;
});

describe('NaudiodonMicrophone on the PulseAudio test mic', () => {
  it('captures speech played into the mic whole, at 24 kHz', async () => {
    const speech = makeSpeech('Parley hears every word, from the first to the last.', 'mic-capture');
    microphone = new NaudiodonMicrophone({ deviceName: null, log });
    const frames: Int16Array[] = [];
    const stamps: number[] = [];
    microphone.onFrames((pcm, capturedAt) => {
      frames.push(pcm);
      stamps.push(capturedAt);
    });
    await microphone.open();
    expect(microphone.isOpen).toBe(true);
    microphone.setListening(true);
    await playInto(MIC_SINK, speech.wavPath);
    // Let the device's buffers empty after paplay is done, counted in captured samples, not time.
    const before = concat(frames).length;
    while (concat(frames).length < before + 24_000 * 0.3) await new Promise((resolve) => setTimeout(resolve, 20));
    await microphone.close();
    expect(microphone.isOpen).toBe(false);

    const captured = concat(frames);
    const threshold = 300;
    const spokenInSource = lastLoudEnd(speech.pcm24k, threshold) - firstLoud(speech.pcm24k, threshold);
    const spokenInCapture = lastLoudEnd(captured, threshold) - firstLoud(captured, threshold);
    // The same speech, the same length: nothing lost at either end or in the middle (2 ms slack for filters).
    expect(Math.abs(spokenInCapture - spokenInSource)).toBeLessThanOrEqual(48);
    const { offset, correlation } = bestAlignment(captured, speech.pcm24k);
    expect(offset).toBeGreaterThanOrEqual(0);
    // Measured here: 0.986–0.9999 against sox's conversion of the same clip; a lost period would fall far lower.
    expect(correlation).toBeGreaterThan(0.95);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThanOrEqual(stamps[i - 1]);
  });

  it('opens and closes idempotently and can reopen', async () => {
    microphone = new NaudiodonMicrophone({ deviceName: 'default', log });
    await Promise.all([microphone.open(), microphone.open()]);
    expect(microphone.isOpen).toBe(true);
    await microphone.close();
    await microphone.close();
    expect(microphone.isOpen).toBe(false);
    let frames = 0;
    microphone.onFrames(() => frames++);
    // Told to listen while closed: it listens from the moment it opens.
    microphone.setListening(true);
    await microphone.open();
    expect(frames).toBeGreaterThan(0);
  });

  it('keeps the last second while not listening and hands it over, resampled, the moment listening starts', async () => {
    const speech = makeSpeech('Pre-roll keeps the words spoken just before the key went down.', 'mic-backlog');
    // espeak ends its clips with about 300 ms of silence; 100 ms more make sure that, when paplay
    // returns, the words' end has come through the device into the backlog.
    const paddedPath = join(workDir, 'mic-backlog-padded.wav');
    execFileSync('sox', [speech.wavPath, paddedPath, 'pad', '0', '0.1']);
    microphone = new NaudiodonMicrophone({ deviceName: null, log });
    const frames: Int16Array[] = [];
    const stamps: number[] = [];
    microphone.onFrames((pcm, capturedAt) => {
      frames.push(pcm);
      stamps.push(capturedAt);
    });
    await microphone.open();
    await playInto(MIC_SINK, paddedPath);
    // Seconds of speech went through the open mic, and nothing was resampled or emitted.
    expect(frames).toHaveLength(0);

    const recent = microphone.takeRecent(1000);
    microphone.setListening(true);
    const backlog = recent.pcm;
    expect(microphone.isListening).toBe(true);
    // The whole 1 s backlog at 24 kHz, less the ~1.7 ms the filter holds for the next frame.
    expect(backlog.length).toBeGreaterThan(24_000 - 48);
    expect(backlog.length).toBeLessThanOrEqual(24_000);

    // The last 400 ms of the words are in it, intact (measured here: about 0.99).
    const threshold = 300;
    const wordsEnd = lastLoudEnd(speech.pcm24k, threshold);
    const ending = speech.pcm24k.subarray(wordsEnd - 9600, wordsEnd);
    const { offset, correlation } = bestAlignment(backlog, ending);
    expect(correlation).toBeGreaterThan(0.95);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset + ending.length).toBeLessThanOrEqual(backlog.length);
    // And it is the end of the words: nothing loud after it in the backlog.
    expect(lastLoudEnd(backlog, threshold)).toBeLessThanOrEqual(offset + ending.length + 48);

    // Live frames follow the backlog.
    while (frames.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stamps[0]).toBeGreaterThanOrEqual(recent.capturedAt);
    microphone.setListening(false);
    const count = frames.length;
    await playInto(MIC_SINK, speech.wavPath);
    expect(frames.length).toBe(count);
  });

  it('names a microphone that does not exist and points to Settings', async () => {
    microphone = new NaudiodonMicrophone({ deviceName: 'Nonexistent USB Headset', log });
    const error: unknown = await microphone.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    const userError = error as UserFacingError;
    expect(userError.code).toBe('mic-unavailable');
    expect(userError.action).toBe('open-settings');
    expect(userError.message).toContain('"Nonexistent USB Headset"');
    expect(userError.message).toMatch(/Settings/);
    expect(microphone.isOpen).toBe(false);
  });
});

describe('listAudioDevices on this machine', () => {
  it('lists the PulseAudio devices with one default each way', async () => {
    const list = await listAudioDevices();
    expect(list.inputs.map((d) => d.name)).toContain('default');
    expect(list.outputs.map((d) => d.name)).toContain('default');
    expect(list.inputs.filter((d) => d.isDefault)).toHaveLength(1);
    expect(list.outputs.filter((d) => d.isDefault)).toHaveLength(1);
  });
});
