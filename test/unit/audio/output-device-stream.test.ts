import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Naudiodon } from '../../../src/main/audio/audio-devices';
import { OutputDeviceStream, WritePace } from '../../../src/main/audio/output-device-stream';

const PERIOD_MS = 10;

/** Writes taken `intervalsMs` apart, after one taken at 1000 ms. */
function accepted(pace: WritePace, intervalsMs: number[]): number {
  let at = 1000;
  pace.note(at);
  for (const interval of intervalsMs) pace.note((at += interval));
  return at;
}

describe('WritePace', () => {
  it('does not vouch for a device before it has taken a window of writes', () => {
    const pace = new WritePace(PERIOD_MS);
    accepted(pace, Array(8).fill(10));
    expect(pace.keepsRealTime).toBe(false);
    pace.note(2000);
    expect(pace.keepsRealTime).toBe(true);
  });

  it('keeps real time for writes taken about one period apart, jitter included', () => {
    const pace = new WritePace(PERIOD_MS);
    accepted(pace, [9, 11, 10, 8, 12, 10, 10, 9, 11]);
    expect(pace.keepsRealTime).toBe(true);
  });

  it('does not keep real time in an underrun storm (writes taken every 2–4 ms)', () => {
    const pace = new WritePace(PERIOD_MS);
    let at = accepted(pace, [10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(pace.keepsRealTime).toBe(true);
    for (let i = 0; i < 5; i++) pace.note((at += 3));
    expect(pace.keepsRealTime).toBe(false);
    accepted(pace, [2, 3, 4, 2, 3, 2, 4, 3, 2]);
    expect(pace.keepsRealTime).toBe(false);
  });

  it('forgives the few quick writes that refill the buffer after a stall', () => {
    const pace = new WritePace(PERIOD_MS);
    let at = accepted(pace, Array(9).fill(10));
    expect(pace.keepsRealTime).toBe(true);
    for (const interval of [40, 1, 1, 1]) {
      pace.note((at += interval));
      expect(pace.keepsRealTime).toBe(true);
    }
  });

  it('does not trust a storm again for a few writes that happen to come late', () => {
    const pace = new WritePace(PERIOD_MS);
    accepted(pace, [3, 12, 2, 15, 9, 3, 14, 8, 11]);
    expect(pace.keepsRealTime).toBe(false);
  });

  it('does not forgive a stall followed by a storm, though together they add up to real time', () => {
    const pace = new WritePace(PERIOD_MS);
    let at = accepted(pace, Array(9).fill(10));
    for (const interval of [70, 2, 2, 2, 2, 2, 2, 2]) pace.note((at += interval));
    expect(pace.keepsRealTime).toBe(false);
  });
});

/**
 * A stand-in output stream that accepts each write when the test says so: the tests set when the
 * "device" takes a write, which a real device does not let a test choose. The real device path
 * is covered in test/devices/audio.
 */
class FakeOutputStream {
  readonly pending: Array<(error?: Error | null) => void> = [];
  readonly written: Int16Array[] = [];
  on(): this {
    return this;
  }
  start(): void {}
  write(buffer: Buffer, callback: (error?: Error | null) => void): boolean {
    this.written.push(new Int16Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)));
    this.pending.push(callback);
    return true;
  }
  abort(callback?: () => void): void {
    callback?.();
  }
}

function fakeNaudiodon(stream: FakeOutputStream): Naudiodon {
  return { getDevices: () => [], getHostAPIs: () => ({ defaultHostAPI: 0, HostAPIs: [] }), AudioIO: () => stream } as unknown as Naudiodon;
}

let open: OutputDeviceStream | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
  vi.useRealTimers();
});

function openFake(device: FakeOutputStream, fill: (chunk: Int16Array) => void, onLostPace: () => void = () => {}): Promise<OutputDeviceStream> {
  return OutputDeviceStream.open({
    naudiodon: fakeNaudiodon(device),
    device: { id: 0, name: 'Fake Speaker', sampleRate: 48_000 },
    periodMs: PERIOD_MS,
    stallTimeoutMs: 60_000,
    fill,
    onFailure: (_stream: OutputDeviceStream, error: unknown) => {
      throw error;
    },
    onLostPace,
  });
}

describe('OutputDeviceStream', () => {
  it('writes silence and asks for no audio until the device takes writes at the pace it plays them', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const device = new FakeOutputStream();
    const fills: number[] = [];
    open = await openFake(device, (chunk) => {
      fills.push(device.written.length);
      chunk.fill(1000);
    });
    const accept = (afterMs: number): void => {
      vi.advanceTimersByTime(afterMs);
      device.pending.shift()?.();
    };
    // A storm: every write taken 2 ms after the last.
    for (let i = 0; i < 40; i++) accept(2);
    expect(fills).toEqual([]);
    expect(device.written.every((chunk) => chunk.every((sample) => sample === 0))).toBe(true);
    const stormWrites = device.written.length;
    // The device settles: writes taken a period apart. Audio is asked for once most of a window shows it.
    for (let i = 0; i < 5; i++) accept(PERIOD_MS);
    expect(fills).toEqual([]);
    for (let i = 0; i < 5; i++) accept(PERIOD_MS);
    expect(fills.length).toBeGreaterThan(0);
    expect(fills[0]).toBeGreaterThan(stormWrites + 5);
    expect(device.written[fills[0]!]!.every((sample) => sample === 1000)).toBe(true);
    // Every write from then on carries audio...
    const settled = fills.length;
    for (let i = 0; i < 5; i++) accept(PERIOD_MS);
    expect(fills.length).toBe(settled + 5);
    // ...until another storm: the audio waits again after a few quick writes.
    for (let i = 0; i < 10; i++) accept(2);
    const intoStorm = fills.length - (settled + 5);
    expect(intoStorm).toBeLessThanOrEqual(5);
    for (let i = 0; i < 10; i++) accept(2);
    expect(fills.length).toBe(settled + 5 + intoStorm);
  });

  it('says once that the device lost the pace when a storm outlasts a blip, not for a short one', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const device = new FakeOutputStream();
    let lost = 0;
    open = await openFake(device, () => {}, () => lost++);
    const accept = (afterMs: number): void => {
      vi.advanceTimersByTime(afterMs);
      device.pending.shift()?.();
    };
    // A short storm at the start, within the grace an open gets, then real time.
    for (let i = 0; i < 200; i++) accept(3);
    for (let i = 0; i < 30; i++) accept(PERIOD_MS);
    expect(lost).toBe(0);
    // A blip: ~100 ms off pace.
    for (let i = 0; i < 40; i++) accept(2);
    for (let i = 0; i < 30; i++) accept(PERIOD_MS);
    expect(lost).toBe(0);
    // A storm that goes on.
    for (let i = 0; i < 300; i++) accept(2);
    expect(lost).toBe(1);
    for (let i = 0; i < 30; i++) accept(PERIOD_MS);
    for (let i = 0; i < 300; i++) accept(2);
    expect(lost).toBe(1);
  });

  it('says the device lost the pace when a fresh stream has not kept real time within its grace', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const device = new FakeOutputStream();
    let lost = 0;
    open = await openFake(device, () => {}, () => lost++);
    // Writes taken every 3 ms instead of every period, for 2.85 s: still within the 3 s grace.
    for (let i = 0; i < 950; i++) {
      vi.advanceTimersByTime(3);
      device.pending.shift()?.();
    }
    expect(lost).toBe(0);
    for (let i = 0; i < 60; i++) {
      vi.advanceTimersByTime(3);
      device.pending.shift()?.();
    }
    expect(lost).toBe(1);
  });
});
