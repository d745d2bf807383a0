import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** Runs scripts/security-scan.mjs (electronegativity) for real, so `npm test` includes the scan. */
const run = promisify(execFile);
const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

async function scan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/security-scan.mjs', ...args], { cwd: projectDir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('security scan', () => {
  it('finds no high or medium issue in src/ without a written reason', async () => {
    const outputDir = await mkdtemp(join(tmpdir(), 'parley-scan-'));
    try {
      const result = await scan(['--output', join(outputDir, 'electronegativity.csv')]);
      expect(result.stderr + result.stdout).toContain('Security scan passed');
      expect(result.code).toBe(0);
      const report = JSON.parse(await readFile(join(outputDir, 'electronegativity.json'), 'utf8')) as { unexplained: unknown[] };
      expect(report.unexplained).toEqual([]);
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  it('fails on an insecure window', async () => {
    const appDir = await mkdtemp(join(tmpdir(), 'parley-insecure-'));
    try {
      await writeFile(
        join(appDir, 'main.js'),
        "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } }).loadURL('https://example.com');\n",
      );
      const result = await scan(['--input', appDir, '--output', join(appDir, 'report.csv')]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('CONTEXT_ISOLATION_JS_CHECK main.js:2 (NOT ALLOWED)');
      expect(result.stderr).toContain('Security scan failed');
    } finally {
      await rm(appDir, { recursive: true, force: true });
    }
  });
});
