import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The built desktop app (out/main/index.js) run under plain Node with the recording `electron` stand-in
 * (test/support/electron-stand-in/electron.mjs, which says why it is a stand-in). Collects what the stand-in records.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT_MAIN = join(ROOT, 'out/main/index.js');
export const BUILT_PRELOAD = join(ROOT, 'out/preload/index.cjs');
const REGISTER_STAND_IN = join(ROOT, 'test/support/electron-stand-in/register.mjs');
const SOURCES = ['src/main', 'src/preload', 'src/shared', 'src/renderer'].map((dir) => join(ROOT, dir));
const run = promisify(execFile);

/** Runs `electron-vite build` (as `npm run build` does) unless out/ is newer than every source file. */
export async function ensureAppBuilt(): Promise<void> {
  const outputs = [BUILT_MAIN, BUILT_PRELOAD, join(ROOT, 'out/renderer/index.html')];
  const oldestOutput = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  if (oldestOutput >= newestMtime(SOURCES)) return;
  await run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT });
}

function newestMtime(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

export type StandInRecord =
  | { kind: 'call'; api: string; args: unknown[] }
  | { kind: 'webContents.send'; channel: string; payload: unknown }
  | { kind: 'exiting'; code: number; windowsOpen: number; traysAlive: number };

export class BuiltAppProcess {
  readonly records: StandInRecord[] = [];
  output = '';
  readonly #child: ChildProcess;
  readonly #exit: Promise<number | null>;
  readonly #waiters = new Set<() => void>();

  constructor(userData: string, env: Record<string, string> = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PARLEY_STAND_IN_USER_DATA: userData, ...env };
    delete childEnv.ELECTRON_RENDERER_URL; // the packaged app's page, not a dev server
    this.#child = spawn(process.execPath, ['--import', REGISTER_STAND_IN, BUILT_MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.#child.on('message', (message: StandInRecord) => {
      this.records.push(message);
      for (const wake of this.#waiters) wake();
    });
    const keep = (chunk: Buffer) => (this.output += chunk.toString());
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    this.#exit = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** The arguments of every recorded call to `api` ('BrowserWindow.new', 'Tray.setToolTip', …), in order. */
  calls(api: string): unknown[][] {
    return this.records.flatMap((entry) => (entry.kind === 'call' && entry.api === api ? [entry.args] : []));
  }

  /** Every engine event the main process sent to the window. */
  windowEvents(): Array<Record<string, unknown>> {
    return this.records.flatMap((entry) => (entry.kind === 'webContents.send' ? (entry.payload as Array<Record<string, unknown>>) : []));
  }

  async waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 45_000): Promise<T> {
    const found = find();
    if (found !== undefined) return found;
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const fail = (reason: string) => {
        cleanup();
        reject(new Error(`${reason} while waiting for ${what}. Recorded: ${JSON.stringify(this.records.slice(-10))}\nOutput: ${this.output.slice(-2000)}`));
      };
      const timer = setTimeout(() => fail('timed out'), timeoutMs);
      const onExit = () => fail('the app exited');
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        this.#child.off('exit', onExit);
      };
      this.#waiters.add(check);
      this.#child.once('exit', onExit);
    });
  }

  /** The stand-in's record of the process ending (it then waits for `release()` before it lets the process end). */
  exiting(): Promise<Extract<StandInRecord, { kind: 'exiting' }>> {
    return this.waitFor(() => this.records.find((entry) => entry.kind === 'exiting'), 'the app to quit');
  }

  clickTrayMenu(label: string): void {
    this.#child.send({ command: 'click-tray-menu', label });
  }

  /**
   * Lets a quitting app end, and returns its exit code: 0 (or the app's own code) when the process ended by itself,
   * 70 when it still held something open (the stand-in prints what).
   */
  release(): Promise<number | null> {
    if (this.#child.connected) this.#child.send({ command: 'exit' });
    return this.#exit;
  }

  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exit;
  }
}

/** Processes whose parent is `pid`, from /proc (any thread of `pid` may have started them). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}
