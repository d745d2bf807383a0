import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The afterPack step (build/after-pack.mjs) on a copy of the built addon, laid out as electron-builder lays out a
 * Linux app folder. `npm run dist` itself cannot run here (it downloads Electron), so this is the packaging step's
 * test: before it, the copy finds libportaudio.so.2 in our node_modules through the absolute RUNPATH; after it, in
 * the app folder, both for `ldd` and for a Node process that loads it. Needs patchelf and ldd (Debian).
 */
const run = promisify(execFile);
const projectDir = fileURLToPath(new URL('../../../', import.meta.url));
const naudiodonBuild = join(dirname(createRequire(import.meta.url).resolve('naudiodon/package.json')), 'build', 'Release');
const LIBRARY = 'libportaudio.so.2';

type AfterPack = (context: { appOutDir: string; electronPlatformName: string }) => Promise<void>;
const { default: afterPack } = (await import(pathToFileURL(join(projectDir, 'build/after-pack.mjs')).href)) as { default: AfterPack };

let appOutDir: string;
let addonDir: string;

beforeEach(async () => {
  appOutDir = await mkdtemp(join(tmpdir(), 'parley-app-'));
  addonDir = join(appOutDir, 'resources/app.asar.unpacked/node_modules/naudiodon/build/Release');
  await mkdir(addonDir, { recursive: true });
  await copyFile(join(naudiodonBuild, 'naudiodon.node'), join(addonDir, 'naudiodon.node'));
});

afterEach(async () => {
  await rm(appOutDir, { recursive: true, force: true });
});

/** Where the dynamic loader finds libportaudio.so.2 for `file`, as `ldd` reports it. */
async function lddResolves(file: string): Promise<string | undefined> {
  const { stdout } = await run('ldd', [file]);
  return stdout.split('\n').find((line) => line.trim().startsWith(`${LIBRARY} =>`))?.split('=>')[1]?.trim().split(' ')[0];
}

/**
 * Loads the addon in a fresh Node (ours already mapped node_modules' copy) and returns the files the loader mapped for
 * libportaudio, from the child's own /proc/self/maps.
 */
async function portAudioMappedByNode(addon: string): Promise<{ exports: string[]; mapped: string[] }> {
  const script = `
    const addon = require(${JSON.stringify(addon)});
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const mapped = [...new Set(maps.split('\\n').filter((l) => l.includes('libportaudio')).map((l) => l.slice(l.indexOf('/'))))];
    console.log(JSON.stringify({ exports: Object.getOwnPropertyNames(addon).sort(), mapped }));`;
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, LD_LIBRARY_PATH: '' } });
  return JSON.parse(stdout) as { exports: string[]; mapped: string[] };
}

describe('afterPack: PortAudio bundled beside naudiodon.node', () => {
  it('makes the copied addon load libportaudio.so.2 from the app folder instead of node_modules', async () => {
    await copyFile(join(naudiodonBuild, LIBRARY), join(addonDir, LIBRARY));
    const addon = join(addonDir, 'naudiodon.node');
    // The problem this step solves: the copy still reaches into the build machine's node_modules.
    expect(await lddResolves(addon)).toBe(join(naudiodonBuild, LIBRARY));

    await afterPack({ appOutDir, electronPlatformName: 'linux' });

    expect(await lddResolves(addon)).toBe(join(addonDir, LIBRARY));
    const { stdout: runpath } = await run('patchelf', ['--print-rpath', addon]);
    expect(runpath.trim()).toBe('$ORIGIN');
    const loaded = await portAudioMappedByNode(addon);
    expect(loaded.exports).toEqual(expect.arrayContaining(['create', 'getDevices', 'getHostAPIs']));
    expect(loaded.mapped).toEqual([join(addonDir, LIBRARY)]);
  });

  it('copies the library beside the addon when the package lacks it', async () => {
    await afterPack({ appOutDir, electronPlatformName: 'linux' });
    expect(await lddResolves(join(addonDir, 'naudiodon.node'))).toBe(join(addonDir, LIBRARY));
  });

  it('fails the build with a sentence naming asarUnpack when naudiodon was packed into the archive', async () => {
    await rm(join(addonDir, 'naudiodon.node'));
    await expect(afterPack({ appOutDir, electronPlatformName: 'linux' })).rejects.toThrow(/naudiodon\.node is missing: .*asarUnpack/);
  });

  it('leaves other platforms’ packages alone', async () => {
    await afterPack({ appOutDir, electronPlatformName: 'win32' });
    expect(await lddResolves(join(addonDir, 'naudiodon.node'))).toBe(join(naudiodonBuild, LIBRARY));
  });
});
