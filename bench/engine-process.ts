import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchCommand, BenchReply } from './bench-protocol';

type ReplyOf<T extends BenchReply['type']> = Extract<BenchReply, { type: T }>;

/** Drives bench/engine-worker.ts and keeps every message it sends, in order. */
export class EngineProcess {
  readonly replies: BenchReply[] = [];
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(env: NodeJS.ProcessEnv) {
    const worker = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    // stdout is the native audio library's chatter; the worker talks over the IPC channel.
    this.child = spawn(process.execPath, ['--expose-gc', tsx, worker], {
      env,
      stdio: ['ignore', 'ignore', process.env.PARLEY_BENCH_VERBOSE ? 'inherit' : 'ignore', 'ipc'],
    });
    this.child.on('message', (message: BenchReply) => {
      if (message.type === 'failed') process.stderr.write(`engine worker failed: ${message.message}\n`);
      if (message.type === 'engine-error') process.stderr.write(`engine error: ${message.message}\n`);
      this.replies.push(message);
      for (const wake of this.waiters) wake();
    });
  }

  send(command: BenchCommand): void {
    this.child.send(command);
  }

  /** Sends a command and waits for the first reply of `type` after it. */
  async request<T extends BenchReply['type']>(command: BenchCommand, type: T, timeoutMs = 30_000): Promise<ReplyOf<T>> {
    const from = this.replies.length;
    this.send(command);
    return this.next(type, from, timeoutMs);
  }

  /** The first reply of `type` at or after index `from` that passes `filter`. */
  next<T extends BenchReply['type']>(type: T, from: number, timeoutMs = 30_000, filter: (reply: ReplyOf<T>) => boolean = () => true): Promise<ReplyOf<T>> {
    const find = (): ReplyOf<T> | undefined =>
      this.replies.slice(from).find((reply): reply is ReplyOf<T> => reply.type === type && filter(reply as ReplyOf<T>));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`bench: no '${type}' from the engine within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  waitForState(state: string, from: number, timeoutMs = 30_000): Promise<ReplyOf<'state'>> {
    return this.next('state', from, timeoutMs, (reply) => reply.state === state);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ type: 'stop' });
    setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
    await exited;
  }
}
