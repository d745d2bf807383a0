import { execFileSync } from 'node:child_process';

/**
 * A real small or read-only file system for the "disk full" and "read-only" cases. chmod
 * does not stop root (tests here run as root), but a tmpfs mount does: writes past its size
 * fail with ENOSPC and a read-only remount fails every write with EROFS, for root too.
 * Needs root and permission to mount; returns null where that is not available.
 */
export class TinyDisk {
  private constructor(readonly dir: string) {}

  static mount(dir: string, sizeKiB: number): TinyDisk | null {
    if (process.getuid?.() !== 0) return null;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
      return new TinyDisk(dir);
    } catch {
      return null;
    }
  }

  makeReadOnly(): void {
    execFileSync('mount', ['-o', 'remount,ro', this.dir], { stdio: 'ignore' });
  }

  makeWritable(): void {
    execFileSync('mount', ['-o', 'remount,rw', this.dir], { stdio: 'ignore' });
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'ignore' });
  }
}
