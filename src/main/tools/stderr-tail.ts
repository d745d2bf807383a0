import type { Stream } from 'node:stream';

const KEPT_CHARS = 4000;
const SHOWN_LINES = 5;
const SHOWN_CHARS = 600;

/**
 * The last few kilobytes a server printed on stderr: what a user needs to see when it fails to
 * start or crashes (a missing key, a stack trace's first line). Each line is also passed to `onLine`.
 */
export class StderrTail {
  private kept = '';

  constructor(private readonly onLine: (line: string) => void = () => undefined) {}

  attach(stream: Stream | null): void {
    stream?.on('data', (chunk: Buffer | string) => {
      const text = chunk.toString();
      this.kept = (this.kept + text).slice(-KEPT_CHARS);
      for (const line of text.split('\n')) if (line.trim() !== '') this.onLine(line.trimEnd());
    });
  }

  /** The last lines, joined for one sentence; empty when the server printed nothing. */
  summary(): string {
    const lines = this.kept.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    return lines.slice(-SHOWN_LINES).join(' / ').slice(-SHOWN_CHARS);
  }
}
