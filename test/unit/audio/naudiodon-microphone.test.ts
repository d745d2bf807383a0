import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Naudiodon } from '../../../src/main/audio/audio-devices';
import { NaudiodonMicrophone } from '../../../src/main/audio/naudiodon-microphone';
import { resamplePcm } from '../../../src/main/audio/pcm-resampler';

/**
 * A stand-in input stream: these tests hand the microphone exact chunks at exact moments to
 * check what setListening emits, sample by sample and synchronously, which a real device's
 * timing cannot pin down. The real device path is covered in test/devices/audio.
 */
class FakeInputStream extends EventEmitter {
  start(): void {}
  quit(callback?: () => void): void {
    callback?.();
  }
}

const RATE = 48_000;

function fakeNaudiodon(): { naudiodon: Naudiodon; streams: FakeInputStream[] } {
  const streams: FakeInputStream[] = [];
  const naudiodon = {
    getDevices: () => [
      {
        id: 0,
        name: 'Fake Mic',
        maxInputChannels: 1,
        maxOutputChannels: 0,
        defaultSampleRate: RATE,
        defaultLowInputLatency: 0,
        defaultLowOutputLatency: 0,
        defaultHighInputLatency: 0,
        defaultHighOutputLatency: 0,
        hostAPIName: 'ALSA',
      },
    ],
    getHostAPIs: () => ({
      defaultHostAPI: 0,
      HostAPIs: [{ id: 0, name: 'ALSA', type: 'ALSA', deviceCount: 1, defaultInput: 0, defaultOutput: 0xffffffff }],
    }),
    AudioIO: () => {
      const stream = new FakeInputStream();
      streams.push(stream);
      return stream;
    },
  } as unknown as Naudiodon;
  return { naudiodon, streams };
}

/** A chirp, so any misplaced, lost or repeated chunk changes the resampled result. */
function chirp(samples: number, from = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (from + i) / RATE;
    out[i] = Math.round(12_000 * Math.sin(2 * Math.PI * (200 + 400 * t) * t));
  }
  return out;
}

function asBuffer(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

function concat(pieces: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

let microphone: NaudiodonMicrophone | null = null;
afterEach(async () => {
  await microphone?.dispose();
  microphone = null;
});

async function openWithFake(backlogMs: number): Promise<{ mic: NaudiodonMicrophone; stream: FakeInputStream; frames: [Int16Array, number][] }> {
  const { naudiodon, streams } = fakeNaudiodon();
  const mic = new NaudiodonMicrophone({ deviceName: null, log: () => undefined, naudiodon, backlogMs, periodMs: 20 });
  microphone = mic;
  const frames: [Int16Array, number][] = [];
  mic.onFrames((pcm, capturedAt) => frames.push([pcm, capturedAt]));
  const opening = mic.open();
  while (streams.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const stream = streams[0];
  // open() resolves once the device has delivered something.
  stream.emit('data', asBuffer(new Int16Array(960)));
  await opening;
  return { mic, stream, frames };
}

describe('NaudiodonMicrophone.takeRecent and setListening', () => {
  it('emits nothing while not listening; takeRecent hands over exactly the last moments, and live frames go on from them as one stream', async () => {
    const { mic, stream, frames } = await openWithFake(1000);
    const input = chirp(RATE); // 1 s in 20 ms chunks
    for (let at = 0; at < input.length; at += 960) stream.emit('data', asBuffer(input.slice(at, at + 960)));
    expect(frames).toHaveLength(0);
    expect(mic.isListening).toBe(false);

    const recent = mic.takeRecent(100);
    mic.setListening(true);
    // Exactly the last 100 ms at 24 kHz, stamped with the newest chunk's time; setListening itself emits nothing.
    expect(recent.pcm.length).toBe(2400);
    expect(frames).toHaveLength(0);
    expect(mic.takeRecent(100).pcm.length).toBe(0); // once listening, there is nothing "before" any more

    const live = chirp(RATE / 2, RATE);
    for (let at = 0; at < live.length; at += 960) stream.emit('data', asBuffer(live.slice(at, at + 960)));
    await mic.close(); // releases what the filter held back
    for (let i = 1; i < frames.length; i++) expect(frames[i][1]).toBeGreaterThanOrEqual(frames[i - 1][1]);
    expect(frames[0]![1]).toBeGreaterThanOrEqual(recent.capturedAt);

    // Pre-roll + live is the end of the same audio resampled in one go: nothing lost, repeated or reordered.
    const emitted = concat([recent.pcm, ...frames.map(([pcm]) => pcm)]);
    const whole = await resamplePcm(concat([input, live]), RATE, 24_000);
    const expected = whole.subarray(whole.length - emitted.length);
    // What the filter still held of the pre-roll comes out with the first live frame.
    expect(Math.abs(emitted.length - 2400 - (await resamplePcm(live, RATE, 24_000)).length)).toBeLessThanOrEqual(48);
    let maxDiff = 0;
    for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(emitted[i] - expected[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('hands over what the backlog holds when asked for more', async () => {
    const { mic, stream } = await openWithFake(100);
    const input = chirp(RATE / 2);
    for (let at = 0; at < input.length; at += 960) stream.emit('data', asBuffer(input.slice(at, at + 960)));
    const recent = mic.takeRecent(1000);
    // The 100 ms backlog, less the filter's start-up (under a millisecond held back, a few samples of delay).
    expect(Math.abs(recent.pcm.length - 2400)).toBeLessThanOrEqual(48);
  });

  it('stops emitting on false and starts the next activation clean, from audio after it', async () => {
    const { mic, stream, frames } = await openWithFake(1000);
    mic.setListening(true);
    stream.emit('data', asBuffer(chirp(960)));
    mic.setListening(false);
    const count = frames.length;
    const after = chirp(1920, 5000);
    stream.emit('data', asBuffer(after));
    expect(frames.length).toBe(count);

    frames.length = 0;
    const recent = mic.takeRecent(1000);
    mic.setListening(true);
    mic.setListening(true); // idempotent
    await mic.close();
    const emitted = concat([recent.pcm, ...frames.map(([pcm]) => pcm)]);
    // Only what came after deactivation, through a fresh filter: same as resampling it alone.
    expect(emitted).toEqual(await resamplePcm(after, RATE, 24_000));
  });

  it('may be told to listen before it opens, and forgets the backlog of an earlier opening', async () => {
    const { mic, stream, frames } = await openWithFake(1000);
    stream.emit('data', asBuffer(chirp(4800)));
    await mic.close();
    mic.setListening(true);
    expect(frames).toHaveLength(0);
    expect(mic.isListening).toBe(true);
  });
});

describe('NaudiodonMicrophone when the device stops delivering', () => {
  it('reports the loss, and hands out nothing captured before it, until sound comes back', async () => {
    const { mic, stream } = await openWithFake(1000);
    const errors: string[] = [];
    mic.onError((error) => errors.push(error.code));
    stream.emit('data', asBuffer(chirp(4800)));
    expect(mic.unavailable).toBeNull();
    // Real time, not fake timers: open() and the watch are already running on it (lost after 600 ms).
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toEqual(['mic-unavailable']);
    expect(mic.unavailable?.code).toBe('mic-unavailable');
    expect(mic.isOpen).toBe(true); // kept open: sound may come back on the same stream

    expect(mic.takeRecent(100).pcm).toHaveLength(0); // the 100 ms before the loss are not this key press's past

    const after = chirp(1920, 9000);
    stream.emit('data', asBuffer(after));
    expect(mic.unavailable).toBeNull();
    expect(mic.takeRecent(100).pcm.length).toBeGreaterThan(0);
    expect(errors).toEqual(['mic-unavailable']);
  });
});
