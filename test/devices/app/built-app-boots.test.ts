import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcRoutes } from '../../../src/shared/ipc';
import { BUILT_PRELOAD, BuiltAppProcess, childrenOf, ensureAppBuilt } from '../../support/built-app';
import { startRealtimeServer, type RealtimeTestServer } from '../../support/realtime-server';

/**
 * The BUILT desktop app boots, runs on the virtual devices and shuts down clean. No Electron binary can run here, so
 * out/main/index.js runs under plain Node with the recording `electron` stand-in (test/support/electron-stand-in/)
 * put in place by a module loader hook; everything else is real: the bundle as electron-vite built it, its native
 * add-ons (naudiodon, uiohook), PulseAudio's virtual mic and speaker, the X display and a loopback Realtime server.
 * This catches what vi.mock('electron') on the sources cannot: bundle paths, ESM/CJS interop, add-on loading.
 */
const run = promisify(execFile);
const KEY = 'test-key';
let server: RealtimeTestServer;
let userData: string;
let parley: BuiltAppProcess;

/** The PulseAudio streams (`source-outputs`: recording, `sink-inputs`: playback) that process `pid` holds open. */
async function streamsOpenedBy(pid: number, kind: 'source-outputs' | 'sink-inputs'): Promise<number> {
  const { stdout } = await run('pactl', ['list', kind]);
  return stdout.split(/\n(?=\S)/).filter((block) => block.includes(`application.process.id = "${pid}"`)).length;
}

beforeAll(async () => {
  await ensureAppBuilt();
  server = await startRealtimeServer({ apiKey: KEY });
  userData = await mkdtemp(join(tmpdir(), 'parley-user-data-'));
  await writeFile(join(userData, 'settings.json'), JSON.stringify({ realtime: { url: server.url }, hotkey: 'F9' }));
  parley = new BuiltAppProcess(userData, { OPENAI_API_KEY: KEY });
  // Booted: the engine reports idle once the devices are open, the hotkey listens and the server answered.
  await parley.waitFor(() => parley.windowEvents().find((event) => event.type === 'state' && event.state === 'idle'), 'the engine to be idle');
}, 120_000);

afterAll(async () => {
  await parley?.kill();
  await server?.close();
  if (userData) await rm(userData, { recursive: true, force: true });
});

describe('the built app under the electron stand-in', () => {
  it('boots with one locked-down window whose preload and page exist on disk', () => {
    expect(parley.calls('app.exit')).toEqual([]);
    expect(parley.output).not.toMatch(/could not start/i);
    const windows = parley.calls('BrowserWindow.new');
    expect(windows).toHaveLength(1);
    const [options] = windows[0] as [{ webPreferences: Record<string, unknown> }];
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(options.webPreferences.preload).toBe(BUILT_PRELOAD);
    expect(existsSync(String(options.webPreferences.preload))).toBe(true);
    const [[page]] = parley.calls('BrowserWindow.loadURL') as [[string]];
    expect(existsSync(fileURLToPath(page))).toBe(true);
    expect(parley.calls('BrowserWindow.show')).toHaveLength(1); // on ready-to-show
    expect(parley.calls('ipcMain.handle').map(([channel]) => channel)).toEqual(Object.keys(IpcRoutes));
  });

  it('bundles each sandboxed preload (window, indicator) into one file that requires only electron', () => {
    const dir = join(BUILT_PRELOAD, '..');
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['index.cjs', 'indicator.cjs']);
    for (const file of files) {
      const required = [...readFileSync(join(dir, file), 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
      expect(new Set(required)).toEqual(new Set(['electron']));
    }
  });

  it('shows its tray with a PNG icon, a menu and the engine’s state', () => {
    expect(parley.calls('Tray.new')).toEqual([[{ png: true, bytes: expect.any(Number) }]]);
    expect(parley.calls('Tray.setContextMenu')).toEqual([[expect.arrayContaining(['Show Parley', 'Quit Parley'])]]);
    expect(parley.calls('Tray.setToolTip').at(-1)).toEqual(['Parley: Ready']);
  });

  it('connects to the server with the key and holds the virtual mic and speaker open', async () => {
    expect(server.upgrades.filter((upgrade) => upgrade.accepted)).toHaveLength(1);
    expect(await streamsOpenedBy(parley.pid, 'source-outputs')).toBe(1);
    expect(await streamsOpenedBy(parley.pid, 'sink-inputs')).toBe(1);
  });

  it('refuses a second instance, which quits without a window, and shows the first one’s window', async () => {
    const shownBefore = parley.calls('BrowserWindow.show').length;
    const second = new BuiltAppProcess(userData, { OPENAI_API_KEY: KEY });
    try {
      await second.exiting();
      expect(second.calls('app.requestSingleInstanceLock')).toEqual([[false]]);
      expect(second.calls('app.quit')).toHaveLength(1);
      expect(second.calls('BrowserWindow.new')).toEqual([]);
      expect(second.calls('Tray.new')).toEqual([]);
      const code = await second.release();
      expect(code, second.output).toBe(0); // ended by itself: the refused instance left nothing running
      await parley.waitFor(() => (parley.calls('BrowserWindow.show').length > shownBefore ? true : undefined), 'the first window to show');
    } finally {
      await second.kill();
    }
    expect(parley.calls('app.requestSingleInstanceLock')).toEqual([[true]]);
  });

  it('quits from the tray and leaves no child process, no open device, no tray and no handler behind', async () => {
    parley.clickTrayMenu('Quit Parley');
    const exiting = await parley.exiting();
    expect(exiting).toMatchObject({ code: 0, windowsOpen: 0, traysAlive: 0 });
    expect(childrenOf(parley.pid)).toEqual([]);
    expect(await streamsOpenedBy(parley.pid, 'source-outputs')).toBe(0);
    expect(await streamsOpenedBy(parley.pid, 'sink-inputs')).toBe(0);
    expect(parley.calls('ipcMain.removeHandler').map(([channel]) => channel)).toEqual(Object.keys(IpcRoutes));
    expect(parley.calls('powerMonitor.off').map(([event]) => event).sort()).toEqual(parley.calls('powerMonitor.on').map(([event]) => event).sort());
    // Ended by itself once told to: nothing (socket, timer, stream, keyboard hook) was left running.
    const code = await parley.release();
    expect(code, parley.output).toBe(0);
    expect(parley.output).not.toMatch(/could not shut down/i);
  });
});
