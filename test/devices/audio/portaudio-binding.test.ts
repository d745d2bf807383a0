import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realNaudiodon, resolveAudioDevice } from '../../../src/main/audio/audio-devices';
import { createPortAudio, findPortAudioAddon, loadPortAudioAddon } from '../../../src/main/audio/portaudio-binding';

const crashLog = join(process.cwd(), 'crash.log');
const crashLogExisted = existsSync(crashLog);
const temporaryDirs: string[] = [];

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** Shared objects mapped into this process: native addons show up here however they were loaded. */
function mappedFiles(): string {
  return readFileSync('/proc/self/maps', 'utf8');
}

describe('the PortAudio addon loaded without naudiodon/index.js', () => {
  it('lists the PulseAudio devices through the real addon', () => {
    const names = realNaudiodon.getDevices().map((device) => device.name);
    expect(names).toContain('default');
    expect(names).toContain('pulse');
    const hosts = realNaudiodon.getHostAPIs();
    expect(hosts.HostAPIs.length).toBeGreaterThan(0);
    expect(mappedFiles()).toContain(`${sep}naudiodon.node`);
  });

  it('never loads segfault-handler and writes no crash.log', () => {
    realNaudiodon.getDevices();
    const requireCache = Object.keys(createRequire(import.meta.url).cache);
    expect(requireCache.filter((file) => file.includes('segfault-handler'))).toEqual([]);
    expect(requireCache.filter((file) => file.endsWith(join('naudiodon', 'index.js')))).toEqual([]);
    expect(mappedFiles()).not.toContain('segfault-handler');
    if (!crashLogExisted) expect(existsSync(crashLog)).toBe(false);
  });

  it('finds the addon from the bundled main process file as from the sources', () => {
    const fromSources = findPortAudioAddon();
    const fromBundle = findPortAudioAddon(new URL('../../../out/main/index.js', import.meta.url).href);
    expect(fromBundle).toBe(fromSources);
    expect(fromSources).toMatch(/node_modules[\\/]naudiodon[\\/]build[\\/]Release[\\/]naudiodon\.node$/);
  });

  it('loads the addon from app.asar.unpacked when naudiodon resolves inside app.asar', () => {
    // A stand-in for a packaged app: plain directories named as electron-builder names them
    // (Electron's asar file system cannot run under plain Node), with an empty file as the addon.
    const app = mkdtempSync(join(tmpdir(), 'parley-asar-'));
    temporaryDirs.push(app);
    const packed = join(app, 'app.asar', 'node_modules', 'naudiodon');
    mkdirSync(packed, { recursive: true });
    writeFileSync(join(packed, 'package.json'), '{"name":"naudiodon","main":"index.js"}');
    const unpacked = join(app, 'app.asar.unpacked', 'node_modules', 'naudiodon', 'build', 'Release');
    mkdirSync(unpacked, { recursive: true });
    writeFileSync(join(unpacked, 'naudiodon.node'), '');
    const bundle = pathToFileURL(join(app, 'app.asar', 'out', 'main', 'index.js')).href;
    expect(findPortAudioAddon(bundle)).toBe(join(unpacked, 'naudiodon.node'));
  });

  it('says how to fix a naudiodon whose addon was never built', () => {
    const app = mkdtempSync(join(tmpdir(), 'parley-unbuilt-'));
    temporaryDirs.push(app);
    const packageDir = join(app, 'node_modules', 'naudiodon');
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(join(packageDir, 'package.json'), '{"name":"naudiodon"}');
    expect(() => findPortAudioAddon(pathToFileURL(join(app, 'index.js')).href)).toThrow(/npm rebuild naudiodon/);
  });

  it('reports a load failure where audio is used, not at import', () => {
    const portAudio = createPortAudio(() => loadPortAudioAddon(join(tmpdir(), 'no-such-addon.node')));
    expect(() => portAudio.getDevices()).toThrow(/no-such-addon/);
  });
});

describe('AudioIO streams over the addon', () => {
  it('reads one period at a time from the test mic and quits with its callback', async () => {
    const device = resolveAudioDevice('input', null);
    const framesPerPeriod = Math.round(device.sampleRate / 10);
    const stream = realNaudiodon.AudioIO({
      inOptions: { deviceId: device.id, sampleRate: device.sampleRate, channelCount: 1, sampleFormat: 16, framesPerBuffer: framesPerPeriod, highwaterMark: framesPerPeriod * 2 },
    });
    const firstChunk = once(stream, 'data') as Promise<[Buffer]>;
    stream.start();
    const [chunk] = await firstChunk;
    expect(Buffer.isBuffer(chunk)).toBe(true);
    expect(chunk.byteLength).toBe(framesPerPeriod * 2);
    stream.pause();
    await new Promise<void>((resolve) => stream.quit(resolve));
  });

  it('accepts writes for the test speaker and aborts with its callback', async () => {
    const device = resolveAudioDevice('output', null);
    const frames = Math.round(device.sampleRate / 25);
    const stream = realNaudiodon.AudioIO({
      outOptions: { deviceId: device.id, sampleRate: device.sampleRate, channelCount: 1, sampleFormat: 16, framesPerBuffer: frames, highwaterMark: frames * 2, maxQueue: 1 },
    });
    stream.start();
    const silence = Buffer.alloc(frames * 2);
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => stream.write(silence, (error) => (error ? reject(error) : resolve())));
    }
    // naudiodon's own index.js passed this callback to a native call that ignores it.
    await new Promise<void>((resolve) => stream.abort(resolve));
  });

  it('refuses options with neither input nor output', () => {
    expect(() => realNaudiodon.AudioIO({} as never)).toThrow(/inOptions and\/or an outOptions/);
  });
});
