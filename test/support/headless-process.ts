import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

/**
 * Runs `src/main/headless/cli.mjs` as `npm run -s headless -- …` does, and reads its
 * stdout as a user's script would: one JSON object per line. Any line that is not JSON is a
 * failure of the headless contract and is kept in `strayLines`.
 */
export class HeadlessProcess {
  readonly events: Json[] = [];
  readonly strayLines: string[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], env: Record<string, string> = {}) {
    const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
    // The command of the `headless` script in package.json, without npm and sh around it.
    this.child = spawn(process.execPath, ['src/main/headless/cli.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as Json);
      } catch {
        this.strayLines.push(line);
      }
      for (const wake of this.waiters) wake();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** Waits for an event after index `from` that matches; returns it with its index. */
  async waitFor(predicate: (event: Json) => boolean, timeoutMs = 30_000, from = 0): Promise<{ event: Json; index: number }> {
    const find = () => {
      for (let i = from; i < this.events.length; i++) if (predicate(this.events[i]!)) return { event: this.events[i]!, index: i };
      return undefined;
    };
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for an event; got ${JSON.stringify(this.events.slice(-8))}\nstderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const check = () => {
        const hit = find();
        if (hit) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(hit);
        }
      };
      this.waiters.add(check);
    });
  }

  states(from = 0): string[] {
    return this.events.slice(from).filter((event) => event.type === 'state').map((event) => String(event.state));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }
}
