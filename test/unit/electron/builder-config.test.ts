import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm run dist` downloads Electron, so CI cannot run it. Instead, this loads
 * electron-builder.yml with electron-builder's own loader and validates it against its
 * schema, then checks the choices the release depends on.
 */
const require = createRequire(import.meta.url);
const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

interface BuilderConfig {
  appId?: string;
  productName?: string;
  /** electron-builder's loader normalises the list to file sets. */
  files?: Array<string | { filter?: string[] }>;
  asarUnpack?: string[];
  afterPack?: string;
  deb?: { depends?: string[] };
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[]; category?: string; icon?: string };
  mac?: { target?: string[]; extendInfo?: Record<string, string> };
  win?: { target?: string[] };
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(projectDir, 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(loadConfig()).resolves.toBeTruthy();
  });

  it('names the app and ships the built output with native addons unpacked', async () => {
    const config = await loadConfig();
    expect(config.appId).toMatch(/^[a-z][\w.-]+\.[\w.-]+$/);
    expect(config.productName).toBe('Parley');
    const patterns = (config.files ?? []).flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry.filter ?? [])));
    expect(patterns).toContain('out/**');
    expect(patterns).toContain('package.json');
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('unpacks naudiodon and runs the afterPack step that bundles its PortAudio', async () => {
    const config = await loadConfig();
    expect(config.asarUnpack).toContain('node_modules/naudiodon/**');
    // Its behaviour is tested on a copy of the addon in test/unit/packaging/after-pack.test.ts.
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(existsSync(join(projectDir, config.afterPack ?? ''))).toBe(true);
    // The package carries its own PortAudio, so the deb no longer asks for the system's.
    expect(config.deb?.depends).not.toContain('libportaudio2');
    expect(config.deb?.depends).toContain('libasound2');
  });

  it('builds AppImage and deb on Linux, dmg with a microphone reason on macOS, nsis on Windows', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux?.category).toBe('AudioVideo');
    expect(config.mac?.target).toContain('dmg');
    expect(config.mac?.extendInfo?.NSMicrophoneUsageDescription).toMatch(/microphone/i);
    expect(config.win?.target).toContain('nsis');
  });

  it('flips the Electron fuses', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });
});
