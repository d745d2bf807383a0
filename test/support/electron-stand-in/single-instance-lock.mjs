/**
 * The electron stand-in's app.requestSingleInstanceLock(), real per user-data folder as Electron's is: a lock file
 * holding the owner's pid (stale when that pid is gone), and a unix socket on which a refused instance tells the owner
 * its argv, so the owner sees 'second-instance'.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import process from 'node:process';

export class SingleInstanceLock {
  #lockPath;
  #socketPath;
  #server = null;
  /** Settles once a refused instance has told the owner (it must not exit before). */
  notified = Promise.resolve();

  constructor(userData) {
    this.#lockPath = join(userData, 'stand-in-instance.lock');
    this.#socketPath = join(userData, 'stand-in-instance.sock');
  }

  /** True when this process now owns the lock; `onSecondInstance(argv)` then runs for each refused instance. */
  request(onSecondInstance) {
    if (this.#take()) {
      this.#server = createServer((socket) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('end', () => onSecondInstance(JSON.parse(text)));
      });
      this.#server.listen(this.#socketPath);
      return true;
    }
    this.notified = new Promise((resolve) => {
      const socket = connect(this.#socketPath, () => socket.end(JSON.stringify(process.argv)));
      socket.on('close', resolve);
      socket.on('error', resolve);
    });
    return false;
  }

  release() {
    if (!this.#server) return;
    this.#server.close();
    this.#server = null;
    rmSync(this.#lockPath, { force: true });
  }

  #take() {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.#lockPath, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return true;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
        if (isAlive(Number(readFileSync(this.#lockPath, 'utf8')))) return false;
        rmSync(this.#lockPath, { force: true }); // left by an instance that died
        rmSync(this.#socketPath, { force: true });
      }
    }
    return false;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
