#!/usr/bin/env node
/**
 * Makes sure Electron's binary is on disk before `electron-vite preview` / `electron-vite dev` start it.
 *
 *   node scripts/ensure-electron.mjs [projectDir]
 *
 * Why: Electron 45 has no install script; it downloads its binary lazily, only when `require('electron')` runs,
 * while electron-vite only reads node_modules/electron/path.txt and fails with "Electron uninstall" on a fresh clone.
 * The download itself is Electron's own install.js (@electron/get); this script only decides whether to run it and
 * turns its failure into one sentence saying what to do. `projectDir` exists so tests can point at a temp copy.
 */
import console from 'node:console';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const projectDir = process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(sentence) {
  console.error(sentence);
  process.exit(1);
}

/** Where electron-vite looks: path.txt beside the resolved `electron` module, naming a file under dist/. */
function installedBinary(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

/** install.js prints err.stack; its first line ("TypeError: fetch failed", "HTTPError: Response code 403 ...") is the reason. */
function reasonFrom(stderr) {
  const line = stderr.split('\n').find((text) => text.trim() !== '' && !/^\s+at /.test(text));
  return line?.trim() ?? 'the installer gave no reason';
}

// electron-vite uses ELECTRON_EXEC_PATH before path.txt, so then there is nothing to fetch.
if (process.env.ELECTRON_EXEC_PATH) process.exit(0);

let electronDir;
try {
  // The same resolution electron-vite does (dirname of require.resolve('electron')), from the project instead of from itself.
  electronDir = dirname(createRequire(join(projectDir, 'package.json')).resolve('electron'));
} catch {
  fail('Electron is not in node_modules: run "npm install" first.');
}
if (installedBinary(electronDir)) process.exit(0);

const { version, engines } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
// Electron declares engines.node ">= 22.12.0", but what its install.js really needs is require() of an ES module
// (@electron/get), which Node has from 20.19 and 22.12: the download works here on Node 20.20. Without that feature
// the installer can only crash, so say so before trying.
if (process.features.require_module !== true) {
  fail(
    `Electron ${version}'s installer cannot run on Node ${process.versions.node} (it needs require() of ES modules): ` +
      `install Node ${engines?.node?.replace(/^[>=\s]+/, '') ?? '22.12.0'} or newer, then try again.`,
  );
}

console.log(`Downloading the Electron ${version} binary (first run only)...`);
const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (install.status !== 0 || !installedBinary(electronDir)) {
  fail(
    `Could not download the Electron ${version} binary (${reasonFrom(install.stderr ?? '')}): ` +
      'set ELECTRON_MIRROR to a mirror you can reach, or set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=true to go through your proxy, then try again.',
  );
}
