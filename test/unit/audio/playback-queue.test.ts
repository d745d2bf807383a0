import { afterEach, describe, expect, it } from 'vitest';
import { PcmResampler, resamplePcm } from '../../../src/main/audio/pcm-resampler';
import { PlaybackQueue } from '../../../src/main/audio/playback-queue';

/** A ramp, so every sample says where it came from. */
function ramp(length: number, from = 1): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = from + i;
  return out;
}

function sine(length: number, hz = 440): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / 24_000));
  return out;
}

/** Fills chunks until the queue is empty; every chunk, and every started item with the sample it started at. */
function drain(queue: PlaybackQueue, chunkLength: number): { out: Int16Array; filled: number; starts: [string, number][] } {
  const chunks: Int16Array[] = [];
  const starts: [string, number][] = [];
  let filled = 0;
  for (let guard = 0; queue.hasAudio && guard < 10_000; guard++) {
    const chunk = new Int16Array(chunkLength).fill(-1);
    const result = queue.fill(chunk);
    if (result.started !== null) starts.push([result.started, filled]);
    filled += result.filled;
    chunks.push(chunk);
  }
  const out = new Int16Array(chunks.length * chunkLength);
  chunks.forEach((chunk, n) => out.set(chunk, n * chunkLength));
  return { out, filled, starts };
}

const resamplers: PcmResampler[] = [];
async function resampler(toRate: number): Promise<PcmResampler> {
  const created = await PcmResampler.create(24_000, toRate);
  resamplers.push(created);
  return created;
}
afterEach(() => {
  for (const created of resamplers.splice(0)) created.dispose();
});

describe('PlaybackQueue', () => {
  it('hands out every sample once, in order, across uneven pushes and chunks, and pads the last chunk with silence', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(24_000), 24_000);
    const audio = ramp(1000);
    queue.push('item_a', audio.subarray(0, 333));
    queue.push('item_a', audio.subarray(333));
    const { out, filled, starts } = drain(queue, 300);
    expect(filled).toBe(1000);
    expect(starts).toEqual([['item_a', 0]]);
    expect(Array.from(out.subarray(0, 1000))).toEqual(Array.from(audio));
    expect(out.subarray(1000).every((sample) => sample === 0)).toBe(true);
    expect(out.length).toBe(1200);
  });

  it('copies what it is given, so the caller may reuse its buffer', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(24_000), 24_000);
    const buffer = ramp(10);
    queue.push('item_a', buffer);
    buffer.fill(0);
    const chunk = new Int16Array(10);
    queue.fill(chunk);
    expect(Array.from(chunk)).toEqual(Array.from(ramp(10)));
  });

  it('keeps audio pushed before the device opened, and converts it for the device’s rate', async () => {
    const queue = new PlaybackQueue();
    const audio = sine(2400);
    queue.push('item_a', audio);
    expect(queue.hasAudio).toBe(true);
    queue.useDevice(await resampler(48_000), 48_000);
    const { out, filled } = drain(queue, 480);
    // The filter's held-back tail is released when the queue runs dry: exactly twice the samples.
    expect(filled).toBe(4800);
    expect(Array.from(out.subarray(0, 4800))).toEqual(Array.from(await resamplePcm(audio, 24_000, 48_000)));
  });

  it('reports the heard position to the sample: what fill() handed out, at the device rate', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(44_100), 44_100);
    queue.push('item_a', sine(24_000));
    const chunk = new Int16Array(441);
    let handed = 0;
    for (let n = 0; n < 37; n++) handed += queue.fill(chunk).filled;
    expect(handed).toBe(37 * 441);
    // 16 317 samples at 44.1 kHz are 370 ms.
    expect(queue.stop()).toEqual({ itemId: 'item_a', audioEndMs: 370 });
    expect(queue.hasAudio).toBe(false);
    expect(queue.fill(chunk)).toEqual({ filled: 0, started: null });
    expect(chunk.every((sample) => sample === 0)).toBe(true);
  });

  it('never reports more than was pushed, even with the resampler’s rounding', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(44_100), 44_100);
    queue.push('item_a', sine(241));
    drain(queue, 441);
    // 241 samples at 24 kHz are 10.04 ms.
    expect(queue.stop()).toEqual({ itemId: 'item_a', audioEndMs: 10 });
  });

  it('counts audio pushed while the item is already playing', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(24_000), 24_000);
    queue.push('item_a', ramp(240));
    const chunk = new Int16Array(200);
    queue.fill(chunk);
    queue.push('item_a', ramp(480));
    expect(queue.fill(chunk).started).toBeNull();
    queue.fill(chunk);
    queue.fill(chunk);
    expect(queue.stop()).toEqual({ itemId: 'item_a', audioEndMs: 30 });
  });

  it('starts the next item where it begins, after all of the previous one, and counts each item apart', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(48_000), 48_000);
    queue.push('item_a', sine(2400));
    queue.push('item_b', sine(1200, 300));
    const chunk = new Int16Array(1000);
    const starts: [string, number][] = [];
    let handed = 0;
    for (let n = 0; n < 6; n++) {
      const { filled, started } = queue.fill(chunk);
      if (started !== null) starts.push([started, handed]);
      handed += filled;
    }
    // item_a is all 4 800 samples at 48 kHz, its held-back tail included; item_b follows it directly.
    expect(starts).toEqual([
      ['item_a', 0],
      ['item_b', 4000],
    ]);
    // Six chunks are 6 000 samples: 1 200 of them item_b's, 25 ms.
    expect(queue.stop()).toEqual({ itemId: 'item_b', audioEndMs: 25 });
  });

  it('reports nothing heard before anything was handed out, or when the item ended and the next has not started', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(24_000), 24_000);
    queue.push('item_a', ramp(100));
    expect(queue.stop()).toBeNull();

    queue.push('item_a', ramp(100));
    queue.fill(new Int16Array(100));
    queue.push('item_b', ramp(100));
    expect(queue.stop()).toBeNull();
  });

  it('drops what the resampler holds back on stop(), so the next item starts clean', async () => {
    const queue = new PlaybackQueue();
    queue.useDevice(await resampler(48_000), 48_000);
    queue.push('item_a', sine(2400));
    queue.fill(new Int16Array(480));
    queue.stop();
    const next = sine(1200, 300);
    queue.push('item_b', next);
    const { out, filled, starts } = drain(queue, 480);
    expect(starts).toEqual([['item_b', 0]]);
    expect(filled).toBe(2400);
    // The same samples as a fresh resampler gives: nothing of item_a's filter state leaked in.
    expect(Array.from(out.subarray(0, 2400))).toEqual(Array.from(await resamplePcm(next, 24_000, 48_000)));
  });

  it('refuses to fill before it knows the device', () => {
    const queue = new PlaybackQueue();
    queue.push('item_a', ramp(10));
    expect(() => queue.fill(new Int16Array(10))).toThrow(/useDevice/);
  });
});
