/**
 * electron-builder `afterPack` hook (electron-builder.yml): makes the packaged app carry the PortAudio it loads.
 *
 * Why: naudiodon's addon (naudiodon.node) needs libportaudio.so.2, and node-gyp links it with an absolute RUNPATH
 * into the build machine's node_modules (…/naudiodon/build/Release). On a user's machine that folder does not exist,
 * so the AppImage would load whatever PortAudio the system has, or fail to start audio at all. electron-builder
 * already copies the library beside the addon into app.asar.unpacked (asarUnpack); this step makes sure it is there
 * and rewrites the addon's RUNPATH to `$ORIGIN`, the addon's own folder, with patchelf (Debian package `patchelf`).
 *
 * Runs after the app folder is assembled and before the AppImage/deb are made from it. Linux only: Windows finds the
 * DLL beside the addon by itself, and macOS builds are not patched here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const LIBRARY = 'libportaudio.so.2';
/** Where asarUnpack puts naudiodon's build output, relative to the app's resources folder. */
const ADDON_DIR = join('app.asar.unpacked', 'node_modules', 'naudiodon', 'build', 'Release');

/** @param {{ appOutDir: string, electronPlatformName: string }} context electron-builder's AfterPackContext */
export default async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  bundlePortAudio(join(context.appOutDir, 'resources'));
}

/**
 * Puts libportaudio.so.2 beside naudiodon.node under `resourcesDir` and points the addon at it.
 * Throws one sentence saying what to do when it cannot.
 * @param {string} resourcesDir the packaged app's resources folder (holding app.asar and app.asar.unpacked)
 * @param {string} sourceDir where to take the library from when the package lacks it: naudiodon's build output
 */
export function bundlePortAudio(resourcesDir, sourceDir = naudiodonBuildDir()) {
  const addonDir = join(resourcesDir, ADDON_DIR);
  const addon = join(addonDir, 'naudiodon.node');
  if (!existsSync(addon)) {
    throw new Error(`${addon} is missing: the package must unpack naudiodon from app.asar (asarUnpack in electron-builder.yml).`);
  }
  const library = join(addonDir, LIBRARY);
  if (!existsSync(library)) {
    const source = join(sourceDir, LIBRARY);
    if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm rebuild naudiodon\`, then package again.`);
    copyFileSync(source, library);
  }

  if (!patchelf('--print-needed', addon).split('\n').includes(LIBRARY)) {
    throw new Error(`${addon} does not link ${LIBRARY}: naudiodon changed how it loads PortAudio; update build/after-pack.mjs.`);
  }
  // Single quotes in the shell sense: the dynamic loader, not a shell, expands $ORIGIN at load time.
  patchelf('--set-rpath', '$ORIGIN', addon);
  const runpath = patchelf('--print-rpath', addon).trim();
  if (runpath !== '$ORIGIN') throw new Error(`patchelf left ${addon} with RUNPATH "${runpath}" instead of "$ORIGIN".`);
}

function naudiodonBuildDir() {
  const packageJson = createRequire(import.meta.url).resolve('naudiodon/package.json');
  return join(dirname(packageJson), 'build', 'Release');
}

function patchelf(...args) {
  const result = spawnSync('patchelf', args, { encoding: 'utf8' });
  if (result.error?.code === 'ENOENT') {
    throw new Error('patchelf is not installed; packaging for Linux needs it (Debian/Ubuntu: apt-get install patchelf).');
  }
  if (result.status !== 0) throw new Error(`patchelf ${args.join(' ')} failed: ${(result.stderr || '').trim()}`);
  return result.stdout;
}
