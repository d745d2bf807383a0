import { readFile } from 'node:fs/promises';
import logger from 'electron-log/node';
import type { SecretRedactor } from '../secret-redactor';

export interface ParleyLogOptions {
  /** The log file; rotated to `<name>.old.log` when it reaches `maxBytes`. */
  path: string;
  maxBytes?: number;
  redactor: SecretRedactor;
  /** Also shows each (redacted) line, e.g. on stderr in headless mode. */
  echo?: (line: string) => void;
}

/** 1 MiB, plus one archived file: enough for days of turns, small enough to attach to a report. */
export const DEFAULT_LOG_BYTES = 1024 * 1024;

let instances = 0;

/**
 * The file a user can send with a bug report: every line Parley logs, with secrets removed
 * before it is written, rotated so it never grows past two files of `maxBytes`. electron-log
 * writes it (plain Node here, so headless mode and the desktop app share this code).
 */
export class ParleyLog {
  private readonly log: ReturnType<typeof logger.create>;
  private disposed = false;

  constructor(private readonly options: ParleyLogOptions) {
    this.log = logger.create({ logId: `parley-${++instances}` });
    const file = this.log.transports.file;
    file.resolvePathFn = () => options.path;
    file.maxSize = options.maxBytes ?? DEFAULT_LOG_BYTES;
    file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] {text}';
    this.log.transports.console.level = false;
  }

  get path(): string {
    return this.options.path;
  }

  /** The function the engine logs through. */
  readonly line = (message: string): void => {
    if (this.disposed) return;
    const safe = this.options.redactor.redact(message);
    this.log.info(safe);
    this.options.echo?.(safe);
  };

  /** The newest `count` lines, across the rotation, for diagnostics. */
  async lastLines(count: number): Promise<string[]> {
    const read = (path: string) => readFile(path, 'utf8').catch(() => '');
    const archived = this.options.path.replace(/(\.log)?$/, '.old.log');
    const text = `${await read(archived)}${await read(this.options.path)}`;
    return text.split('\n').filter((line) => line.length > 0).slice(-count);
  }

  dispose(): void {
    this.disposed = true;
  }
}
