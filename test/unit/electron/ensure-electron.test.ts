import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Runs scripts/ensure-electron.mjs for real against a temp project: a real copy of node_modules/electron (without any
 * binary) and of electron-vite, every other package symlinked from ours. Electron's own install.js really runs and
 * really goes to the network. Stand-ins, because a test must not fetch 100 MB (and there is no internet here): the
 * mirror, a loopback server recording every request, so "nothing was downloaded" can be proved; and the Electron
 * binary, a shell script. Offline is a loopback port nothing listens on: fetch fails there exactly as without a
 * network ("fetch failed"; the default mirror, github.com, gives the same sentence here). Needs the `zip` tool.
 */
const run = promisify(execFile);
const projectDir = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(projectDir, 'scripts/ensure-electron.mjs');
const realModules = join(projectDir, 'node_modules');
const { version } = JSON.parse(await readFile(join(realModules, 'electron/package.json'), 'utf8')) as { version: string };

interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback mirror serving `files` (path -> body) and refusing everything else, as a blocked or wrong ELECTRON_MIRROR does. */
async function startMirror(files: Record<string, Buffer> = {}): Promise<Mirror> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(path);
    if (files[path]) response.writeHead(200).end(files[path]);
    else response.writeHead(403).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback address nothing listens on: connecting fails the way it does offline ("fetch failed"). */
async function unreachableUrl(): Promise<string> {
  const mirror = await startMirror();
  await mirror.close();
  return mirror.url;
}

async function makeProject(dir: string): Promise<string> {
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', main: 'main.js' }));
  await writeFile(join(dir, 'main.js'), '');
  const modules = join(dir, 'node_modules');
  await mkdir(modules);
  // Real copies, so both resolve `electron` to the copy; a symlink would resolve back to our own node_modules.
  // Without any binary our own install may have: this copy is what a fresh clone has.
  const electron = join(realModules, 'electron');
  const binaryFiles = [join(electron, 'dist'), join(electron, 'path.txt')];
  await cp(electron, join(modules, 'electron'), { recursive: true, filter: (source) => !binaryFiles.includes(source) });
  await cp(join(realModules, 'electron-vite'), join(modules, 'electron-vite'), { recursive: true });
  for (const name of await readdir(realModules)) {
    if (name !== 'electron' && name !== 'electron-vite' && name !== '.bin') await symlink(join(realModules, name), join(modules, name));
  }
  return join(modules, 'electron');
}

/** Our environment minus anything that would steer @electron/get elsewhere (an .npmrc mirror, a proxy, a cache). */
function cleanEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/electron|proxy/i.test(key)));
  return { ...env, electron_config_cache: join(dir, 'cache'), ...extra };
}

async function ensure(dir: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeFlags, script, dir], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A fake Electron (a real one cannot be fetched here): a script that records the path it was started as. */
const fakeElectron = '#!/bin/sh\nprintf "%s" "$0" > "$(dirname "$0")/launched-as.txt"\n';

/** What `npm start` runs after this script, minus the build; returns the path electron-vite started Electron as. */
async function startWithElectronVite(dir: string, electronDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  await run(process.execPath, [join(dir, 'node_modules/electron-vite/bin/electron-vite.js'), 'preview', '--skipBuild'], { cwd: dir, env });
  return readFile(join(electronDir, 'dist', 'launched-as.txt'), 'utf8');
}

function expectOneSentenceNoStack(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('ensure-electron (run before electron-vite by npm start / npm run dev)', () => {
  let dir = '';
  let mirror: Mirror | undefined;
  afterEach(async () => {
    await mirror?.close();
    mirror = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('runs Electron’s installer when the binary is missing and, offline, says what to do in one sentence', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-electron-'));
    const electronDir = await makeProject(dir);
    const result = await ensure(dir, cleanEnv(dir, { ELECTRON_MIRROR: await unreachableUrl() }));
    expect(result.stdout).toContain(`Downloading the Electron ${version} binary`);
    expect(result.stderr.trim()).toBe(
      `Could not download the Electron ${version} binary (TypeError: fetch failed): set ELECTRON_MIRROR to a mirror you can reach, ` +
        'or set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=true to go through your proxy, then try again.',
    );
    expectOneSentenceNoStack(result.stderr);
    expect(result.code).toBe(1);
    await expect(readFile(join(electronDir, 'path.txt'))).rejects.toThrow();
  });

  it('names the mirror’s refusal when the mirror is blocked, after really asking it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-electron-'));
    await makeProject(dir);
    mirror = await startMirror();
    const result = await ensure(dir, cleanEnv(dir, { ELECTRON_MIRROR: mirror.url }));
    expect(mirror.requests).toContain(`/v${version}/electron-v${version}-${process.platform}-${process.arch}.zip`);
    expect(result.stderr).toContain(`(HTTPError: Response code 403 (Forbidden) for ${mirror.url}v${version}/`);
    expect(result.stderr).toContain('set ELECTRON_MIRROR to a mirror you can reach');
    expectOneSentenceNoStack(result.stderr);
    expect(result.code).toBe(1);
  });

  it('on a Node that cannot require() ES modules, names the Node version needed and does not try', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-electron-'));
    await makeProject(dir);
    mirror = await startMirror();
    // The flag gives this Node what Node < 20.19 (or 22.0–22.11) lacks, the feature Electron's installer needs.
    const result = await ensure(dir, cleanEnv(dir, { ELECTRON_MIRROR: mirror.url }), ['--no-experimental-require-module']);
    expect(result.stderr.trim()).toBe(
      `Electron ${version}'s installer cannot run on Node ${process.versions.node} (it needs require() of ES modules): ` +
        'install Node 22.12.0 or newer, then try again.',
    );
    expectOneSentenceNoStack(result.stderr);
    expect(result.code).toBe(1);
    expect(mirror.requests).toEqual([]);
  });

  it('with a binary in place downloads nothing, and electron-vite starts that binary', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-electron-'));
    const electronDir = await makeProject(dir);
    const binary = join(electronDir, 'dist', 'electron');
    await mkdir(join(electronDir, 'dist'));
    await writeFile(binary, fakeElectron);
    await chmod(binary, 0o755);
    await writeFile(join(electronDir, 'path.txt'), 'electron');
    mirror = await startMirror();
    const env = cleanEnv(dir, { ELECTRON_MIRROR: mirror.url });

    const result = await ensure(dir, env);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(mirror.requests).toEqual([]);
    expect(await startWithElectronVite(dir, electronDir, env)).toBe(binary);
  });

  it('when the mirror has the binary, installs it with Electron’s installer, and electron-vite starts it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-electron-'));
    const electronDir = await makeProject(dir);
    // The release zip as Electron publishes it (the executable and a version file), built with the zip tool.
    const zipDir = join(dir, 'release');
    await mkdir(zipDir);
    await writeFile(join(zipDir, 'electron'), fakeElectron);
    await chmod(join(zipDir, 'electron'), 0o755);
    await writeFile(join(zipDir, 'version'), `v${version}`);
    await run('zip', ['-q', '-X', 'release.zip', 'electron', 'version'], { cwd: zipDir });
    const zip = await readFile(join(zipDir, 'release.zip'));
    const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
    const shasums = `${createHash('sha256').update(zip).digest('hex')} *${zipName}\n`;
    mirror = await startMirror({ [`/v${version}/${zipName}`]: zip, [`/v${version}/SHASUMS256.txt`]: Buffer.from(shasums) });
    // Checksums from the mirror: the ones Electron ships are for its real zips, not this one.
    const env = cleanEnv(dir, { ELECTRON_MIRROR: mirror.url, electron_use_remote_checksums: '1' });

    const result = await ensure(dir, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(mirror.requests).toContain(`/v${version}/${zipName}`);
    const binary = join(electronDir, 'dist', 'electron');
    expect(await startWithElectronVite(dir, electronDir, env)).toBe(binary);

    const requestsSoFar = mirror.requests.length;
    expect(await ensure(dir, env)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(mirror.requests).toHaveLength(requestsSoFar);
  });
});
