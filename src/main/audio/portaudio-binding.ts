/**
 * naudiodon's PortAudio addon, loaded without naudiodon's index.js.
 *
 * Why bypass index.js: it requires `segfault-handler` at load and registers it to write
 * crash.log into the working directory. segfault-handler is a NAN addon built for the Node that
 * ran `npm install`, so under Electron (another Node ABI) that require throws and takes all audio
 * with it. naudiodon's own addon is Node-API and loads in both, so we load it directly and wrap
 * its `create()` handle in Node streams here, with the same API and types as naudiodon's AudioIO.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Duplex, Readable, Writable } from 'node:stream';
import type * as naudiodonTypes from 'naudiodon';
import type { AudioOptions, DeviceInfo, IoStreamDuplex, IoStreamRead, IoStreamWrite } from 'naudiodon';

/** The part of naudiodon the audio classes use; tests and the bench may pass their own. */
export type Naudiodon = Pick<typeof naudiodonTypes, 'getDevices' | 'getHostAPIs' | 'AudioIO'>;

type HostAPIs = ReturnType<typeof naudiodonTypes.getHostAPIs>;
type AudioIOOptions = { inOptions?: AudioOptions; outOptions?: AudioOptions };

/** One open PortAudio stream as the addon hands it out; every call but start() runs on the libuv pool. */
interface NativeAudioIO {
  start(): void;
  /** Waits until `bytes` are captured; `err` is PortAudio's message for a failed stream. */
  read(bytes: number): Promise<{ err?: string; buf?: Buffer; finished?: boolean }>;
  /** Resolves once the chunk is queued for the device: undefined, or PortAudio's error message. */
  write(chunk: Buffer): Promise<string | undefined>;
  quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
}

/** The exports of naudiodon.node. */
export interface PortAudioAddon {
  getDevices(): DeviceInfo[];
  getHostAPIs(): HostAPIs;
  create(options: AudioIOOptions): NativeAudioIO;
}

const DEFAULT_HIGHWATER_MARK = 16384;

/**
 * Where naudiodon.node is, found from naudiodon's package.json as Node resolves it from this
 * module (source under tsx, or the bundled out/main/index.js with naudiodon left external). In a
 * packaged app that path lies inside app.asar; the addon and the libportaudio beside it must be
 * loaded from app.asar.unpacked, where electron-builder's asarUnpack puts them.
 */
export function findPortAudioAddon(moduleUrl: string = import.meta.url): string {
  const packageJson = createRequire(moduleUrl).resolve('naudiodon/package.json');
  const root = unpackedFromAsar(dirname(packageJson));
  const candidates = ['Release', 'Debug'].map((build) => join(root, 'build', build, 'naudiodon.node'));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`naudiodon's native addon is not built: none of ${candidates.join(', ')} exists. Run \`npm rebuild naudiodon\`.`);
  }
  return found;
}

/** Loads naudiodon.node itself (never naudiodon's index.js, see the top of this file). */
export function loadPortAudioAddon(addonPath: string = findPortAudioAddon()): PortAudioAddon {
  const addon: unknown = createRequire(import.meta.url)(addonPath);
  if (!isPortAudioAddon(addon)) throw new Error(`${addonPath} is not naudiodon's PortAudio addon.`);
  return addon;
}

/**
 * naudiodon's API over the addon, loaded on first use so a missing or broken addon surfaces as an
 * error where audio is used, not as a crash when the module is imported.
 */
export function createPortAudio(load: () => PortAudioAddon = loadPortAudioAddon): Naudiodon {
  let addon: PortAudioAddon | null = null;
  const loaded = (): PortAudioAddon => (addon ??= load());

  function AudioIO(options: { inOptions: AudioOptions }): IoStreamRead;
  function AudioIO(options: { outOptions: AudioOptions }): IoStreamWrite;
  function AudioIO(options: { inOptions: AudioOptions; outOptions: AudioOptions }): IoStreamDuplex;
  function AudioIO(options: AudioIOOptions): IoStreamRead | IoStreamWrite | IoStreamDuplex {
    return wrapNativeStream(loaded().create(options), options);
  }

  return {
    getDevices: () => loaded().getDevices(),
    getHostAPIs: () => loaded().getHostAPIs(),
    AudioIO,
  };
}

type AudioStream = (Readable | Writable | Duplex) & {
  start(): void;
  quit(callback?: () => void): Promise<void>;
  abort(callback?: () => void): void;
};

/** Node streams over one native handle, behaving as naudiodon's AudioIO does. */
function wrapNativeStream(native: NativeAudioIO, options: AudioIOOptions): IoStreamRead & IoStreamWrite {
  // Assigned below before any read or write can run (the streams call them on a later tick).
  let stream: AudioStream | null = null;
  const fail = (error: unknown): void => {
    stream?.destroy(error instanceof Error ? error : new Error(String(error)));
  };

  const read = (size: number): void => {
    native.read(size).then((result) => {
      if (stream === null || stream.destroyed) return;
      if (result.err !== undefined) fail(new Error(result.err));
      else if (result.finished === true) (stream as Readable).push(null);
      else (stream as Readable).push(result.buf ?? Buffer.alloc(0));
    }, fail);
  };
  const write = (chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void => {
    native.write(chunk).then(
      (err) => callback(err === undefined ? null : new Error(err)),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  };

  const readable = options.inOptions !== undefined;
  const writable = options.outOptions !== undefined;
  const inMark = options.inOptions?.highwaterMark || DEFAULT_HIGHWATER_MARK;
  const outMark = options.outOptions?.highwaterMark || DEFAULT_HIGHWATER_MARK;
  let base: Readable | Writable | Duplex;
  if (readable && writable) {
    base = new Duplex({ allowHalfOpen: false, readableHighWaterMark: inMark, writableHighWaterMark: outMark, read, write });
  } else if (readable) {
    base = new Readable({ highWaterMark: inMark, read });
  } else {
    base = new Writable({ highWaterMark: outMark, decodeStrings: false, write });
  }

  const created: AudioStream = Object.assign(base, {
    start: (): void => native.start(),
    // PortAudio drains what is queued, then stops.
    quit: async (callback?: () => void): Promise<void> => {
      await native.quit('WAIT');
      callback?.();
    },
    // PortAudio drops what is queued and stops at once.
    abort: (callback?: () => void): void => {
      native.quit('ABORT').then(
        () => callback?.(),
        () => callback?.(),
      );
    },
  });
  stream = created;

  created.on('close', () => created.emit('closed'));
  created.on('finish', () => {
    created.quit().then(
      () => created.emit('finished'),
      (error: unknown) => fail(error),
    );
  });
  // An 'error' event nobody listens to would throw and end the process; log it instead.
  created.on('error', (error: unknown) => {
    if (created.listenerCount('error') === 1) console.error('AudioIO:', error);
  });
  return created as unknown as IoStreamRead & IoStreamWrite;
}

function unpackedFromAsar(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  const at = path.indexOf(marker);
  if (at < 0) return path;
  const unpacked = `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + marker.length)}`;
  return existsSync(unpacked) ? unpacked : path;
}

function isPortAudioAddon(value: unknown): value is PortAudioAddon {
  if (typeof value !== 'object' || value === null) return false;
  const { getDevices, getHostAPIs, create } = value as Record<string, unknown>;
  return typeof getDevices === 'function' && typeof getHostAPIs === 'function' && typeof create === 'function';
}
