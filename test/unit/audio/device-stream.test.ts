import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findAudioDevice, quitAudioStream, type Naudiodon } from '../../../src/main/audio/audio-devices';
import { DeviceStream, type DeviceStreamOptions } from '../../../src/main/audio/device-stream';

/**
 * A stand-in naudiodon stream: these tests choose when a chunk arrives or a write is taken, and
 * make a device fail or go quiet on cue, which a real device does not let a test do. The real
 * device path is covered in test/devices/audio.
 */
class StandInStream extends EventEmitter {
  started = false;
  quitCalls = 0;
  abortCalls = 0;
  readonly writes: Array<{ chunk: Buffer; taken: (error?: Error | null) => void }> = [];
  start(): void {
    this.started = true;
  }
  write(chunk: Buffer, taken: (error?: Error | null) => void): boolean {
    this.writes.push({ chunk, taken });
    return true;
  }
  quit(done?: () => void): void {
    this.quitCalls++;
    done?.();
  }
  abort(done?: () => void): void {
    this.abortCalls++;
    done?.();
  }
}

const DEVICE = { id: 7, name: 'Stand-in', sampleRate: 48_000 };

async function open(direction: 'input' | 'output', overrides: Partial<DeviceStreamOptions> = {}) {
  const native = new StandInStream();
  const openedWith: unknown[] = [];
  const naudiodon = {
    getDevices: () => [],
    getHostAPIs: () => ({ defaultHostAPI: 0, HostAPIs: [] }),
    AudioIO: (options: unknown) => {
      openedWith.push(options);
      return native;
    },
  } as unknown as Naudiodon;
  const events: string[] = [];
  const data: Array<{ bytes: number; capturedAt: number }> = [];
  const stream = await DeviceStream.open({
    naudiodon,
    device: DEVICE,
    direction,
    periodMs: 20,
    maxQueue: 3,
    lossAfterMs: 500,
    giveUpAfterMs: 2000,
    onLost: () => events.push('lost'),
    onBack: () => events.push('back'),
    onData: (chunk: Buffer, capturedAt: number) => data.push({ bytes: chunk.byteLength, capturedAt }),
    onFailure: (error: unknown) => events.push(`failed: ${(error as Error).message}`),
    ...overrides,
  });
  return { stream, native, openedWith, events, data };
}

// Fake timers: what happens after how much silence is the point, which real time cannot pin down.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeviceStream', () => {
  it('opens mono PCM16 at the device rate with one period per read or write, and starts it', async () => {
    const { stream, native, openedWith } = await open('input');
    expect(stream.frames).toBe(960);
    expect(openedWith).toEqual([
      {
        inOptions: {
          deviceId: 7,
          sampleRate: 48_000,
          channelCount: 1,
          sampleFormat: 16,
          framesPerBuffer: 960,
          highwaterMark: 1920,
          maxQueue: 3,
          closeOnError: false,
        },
      },
    ]);
    expect(native.started).toBe(true);
    expect(Object.keys((await open('output')).openedWith[0] as object)).toEqual(['outOptions']);
  });

  it('hands each chunk read to onData, stamped when it arrived', async () => {
    const { native, data } = await open('input');
    vi.advanceTimersByTime(100);
    native.emit('data', Buffer.alloc(1920));
    expect(data).toEqual([{ bytes: 1920, capturedAt: performance.now() }]);
  });

  it('says it started at the first chunk, and not at all when none comes in time', async () => {
    const first = await open('input');
    const started = first.stream.started(1000);
    first.native.emit('data', Buffer.alloc(2));
    await expect(started).resolves.toBe(true);
    await expect(first.stream.started(1000)).resolves.toBe(true);

    const silent = await open('input');
    const never = silent.stream.started(1000);
    vi.advanceTimersByTime(1000);
    // The timeout looks once the I/O of its turn is handled: in these fakes, a millisecond on.
    await expect(Promise.race([never, Promise.resolve('pending')])).resolves.toBe('pending');
    vi.advanceTimersByTime(1);
    await expect(never).resolves.toBe(false);
  });

  it('watches from the first progress: quiet for lossAfterMs is lost, back when it resumes, given up after giveUpAfterMs', async () => {
    const { native, events } = await open('input');
    // Before the first chunk, how long a start may take is the owner's call.
    vi.advanceTimersByTime(5000);
    expect(events).toEqual([]);
    native.emit('data', Buffer.alloc(2));
    vi.advanceTimersByTime(600);
    expect(events).toEqual(['lost']);
    native.emit('data', Buffer.alloc(2));
    expect(events).toEqual(['lost', 'back']);
    vi.advanceTimersByTime(2100);
    expect(events).toEqual(['lost', 'back', 'lost', 'failed: the device sent no audio for 2000 ms']);
    // Failed once; nothing more is reported or handed on.
    native.emit('error', new Error('later'));
    native.emit('data', Buffer.alloc(2));
    expect(events).toHaveLength(4);
  });

  it('fails once on a stream error, and a waiting start learns it did not start', async () => {
    const { stream, native, events } = await open('input');
    const started = stream.started(10_000);
    native.emit('error', new Error('PortAudio: device unavailable'));
    native.emit('error', new Error('again'));
    await expect(started).resolves.toBe(false);
    expect(events).toEqual(['failed: PortAudio: device unavailable']);
    expect(stream.isStopped).toBe(true);
  });

  it('fails the stream when handling a chunk throws, instead of throwing into naudiodon', async () => {
    const { native, events } = await open('input', {
      onData: () => {
        throw new Error('listener broke');
      },
    });
    expect(() => native.emit('data', Buffer.alloc(2))).not.toThrow();
    expect(events).toEqual(['failed: listener broke']);
  });

  it('reports a write as taken once naudiodon has queued it, and a failed write as a failure, not as taken', async () => {
    const { stream, native, events } = await open('output');
    const taken: number[] = [];
    stream.write(Buffer.alloc(4), () => taken.push(1));
    stream.write(Buffer.alloc(4), () => taken.push(2));
    native.writes[0]!.taken(null);
    expect(taken).toEqual([1]);
    native.writes[1]!.taken(new Error('underflow'));
    expect(taken).toEqual([1]);
    expect(events).toEqual(['failed: underflow']);
  });

  it('gives up an output device that stops taking writes', async () => {
    const { stream, native, events } = await open('output', { lossAfterMs: 3000, giveUpAfterMs: 3000 });
    stream.write(Buffer.alloc(4), () => stream.write(Buffer.alloc(4), () => {}));
    native.writes[0]!.taken(null);
    vi.advanceTimersByTime(2900);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(events).toEqual(['failed: the device took no audio for 3000 ms']);
  });

  it('closes input by quitting and output by aborting (dropping what the device holds), and calls back no more', async () => {
    const input = await open('input');
    input.native.emit('data', Buffer.alloc(2));
    await input.stream.close();
    expect(input.native.quitCalls).toBe(1);
    input.native.emit('data', Buffer.alloc(2));
    vi.advanceTimersByTime(5000);
    expect(input.data).toHaveLength(1);
    expect(input.events).toEqual([]);

    const output = await open('output');
    const taken: number[] = [];
    output.stream.write(Buffer.alloc(4), () => taken.push(1));
    await output.stream.close();
    expect(output.native.abortCalls).toBe(1);
    output.native.writes[0]!.taken(null);
    expect(taken).toEqual([]);
  });
});

describe('PortAudio calls while a stream quits', () => {
  it('opens a stream and lists devices only once no quit is running (PortAudio is not thread-safe)', async () => {
    const calls: string[] = [];
    const naudiodon = {
      getDevices: () => {
        calls.push('getDevices');
        return [{ id: 0, name: 'Stand-in', maxInputChannels: 1, maxOutputChannels: 1, defaultSampleRate: 48_000 }];
      },
      getHostAPIs: () => ({ defaultHostAPI: 0, HostAPIs: [{ id: 0, name: 'ALSA', defaultInput: 0, defaultOutput: 0 }] }),
      AudioIO: () => {
        calls.push('AudioIO');
        return new StandInStream();
      },
    } as unknown as Naudiodon;
    // A quit that takes a while on the pool, as PortAudio's stop-close-terminate does.
    let finishQuit: () => void = () => {};
    const quitting = quitAudioStream({ quit: (done) => (finishQuit = () => done?.()) });
    const found = findAudioDevice('output', null, naudiodon);
    const opened = DeviceStream.open({
      naudiodon,
      device: DEVICE,
      direction: 'output',
      periodMs: 20,
      maxQueue: 1,
      lossAfterMs: 3000,
      giveUpAfterMs: 3000,
      onFailure: () => {},
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(calls).toEqual([]);
    finishQuit();
    await quitting;
    await expect(found).resolves.toMatchObject({ id: 0 });
    await opened;
    expect(calls.sort()).toEqual(['AudioIO', 'getDevices']);
  });

  it('a quit slower than its caller will wait still holds opens back until it ends, or until the cap', async () => {
    let listed = 0;
    const naudiodon = {
      getDevices: () => {
        listed++;
        return [{ id: 0, name: 'Stand-in', maxInputChannels: 1, maxOutputChannels: 1, defaultSampleRate: 48_000 }];
      },
      getHostAPIs: () => ({ defaultHostAPI: 0, HostAPIs: [{ id: 0, name: 'ALSA', defaultInput: 0, defaultOutput: 0 }] }),
    } as unknown as Naudiodon;
    // The file's fake timers: time passes only when advanced.
    let finishQuit: () => void = () => {};
    const quitting = quitAudioStream({ quit: (done) => (finishQuit = () => done?.()) }, { timeoutMs: 10, holdsOpensMs: 5000 });
    await vi.advanceTimersByTimeAsync(10);
    await quitting;
    const found = findAudioDevice('input', null, naudiodon);
    await vi.advanceTimersByTimeAsync(1000);
    expect(listed).toBe(0); // the caller moved on; the quit is still running natively
    finishQuit();
    await expect(found).resolves.toMatchObject({ id: 0 });
    expect(listed).toBe(1);

    // A quit that never ends holds opens back only as long as the cap.
    const hung = quitAudioStream({ quit: () => undefined }, { timeoutMs: 10, holdsOpensMs: 100 });
    await vi.advanceTimersByTimeAsync(10);
    await hung;
    const afterHang = findAudioDevice('input', null, naudiodon);
    await vi.advanceTimersByTimeAsync(50);
    expect(listed).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    await expect(afterHang).resolves.toMatchObject({ id: 0 });
    expect(listed).toBe(2);
  });
});
