import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { SettingsFile } from '../../../src/main/settings/settings-file';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-settings-'));
  path = join(dir, 'settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function customised(): Settings {
  const settings = defaultSettings();
  settings.hotkey = 'Ctrl+Space';
  settings.realtime.voice = 'cedar';
  settings.capture.preRollMs = 450;
  settings.inputDevice = 'pulse';
  return settings;
}

describe('SettingsFile', () => {
  it('starts with defaults and no notice when there is no file yet', async () => {
    const file = new SettingsFile(path);
    expect(await file.load()).toEqual({ settings: defaultSettings(), notice: null });
    expect(await readdir(dir)).toEqual([]);
  });

  it('round-trips saved settings through a new instance', async () => {
    await new SettingsFile(path).save(customised());
    const reloaded = new SettingsFile(path);
    const { settings, notice } = await reloaded.load();
    expect(notice).toBeNull();
    expect(settings).toEqual(customised());
    expect(reloaded.current).toEqual(customised());
  });

  it('creates the directory it saves into', async () => {
    const nested = new SettingsFile(join(dir, 'deeper', 'Parley', 'settings.json'));
    await nested.save(customised());
    expect(JSON.parse(await readFile(join(dir, 'deeper', 'Parley', 'settings.json'), 'utf8'))).toEqual(customised());
  });

  it('refuses to save invalid settings and leaves the file as it was', async () => {
    const file = new SettingsFile(path);
    await file.save(customised());
    const bad = { ...customised(), capture: { ...customised().capture, preRollMs: -5 } };
    await expect(file.save(bad)).rejects.toThrow();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(customised());
    expect(file.current).toEqual(customised());
  });

  it('writes atomically: no temporary files are left behind and the content is complete JSON', async () => {
    const file = new SettingsFile(path);
    for (let i = 0; i < 20; i++) {
      const settings = customised();
      settings.capture.preRollMs = i * 10;
      await file.save(settings);
    }
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect(JSON.parse(await readFile(path, 'utf8')).capture.preRollMs).toBe(190);
  });

  it('a failed write leaves no temporary file and keeps what was there', async () => {
    // A non-empty directory where the file should be: the final rename fails for any user, root included.
    await mkdir(join(path, 'occupied'), { recursive: true });
    const file = new SettingsFile(path);
    await expect(file.save(customised())).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect(await readdir(path)).toEqual(['occupied']);
    expect(file.current).toEqual(defaultSettings());
  });

  it('replaces a corrupt file with defaults, keeps it as .bak and says so', async () => {
    await writeFile(path, '{"hotkey": "F9", "realtime": {');
    const file = new SettingsFile(path);
    const { settings, notice } = await file.load();
    expect(settings).toEqual(defaultSettings());
    expect(notice).toBe('Your settings file was unreadable, so Parley started with defaults. The old file is saved as settings.json.bak.');
    expect(await readFile(join(dir, 'settings.json.bak'), 'utf8')).toBe('{"hotkey": "F9", "realtime": {');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(defaultSettings());
    expect(file.notice).toBe(notice);
  });

  it('treats JSON that is not an object as unreadable', async () => {
    await writeFile(path, '[1, 2, 3]');
    const { settings, notice } = await new SettingsFile(path).load();
    expect(settings).toEqual(defaultSettings());
    expect(notice).toContain('unreadable');
    expect(await readFile(join(dir, 'settings.json.bak'), 'utf8')).toBe('[1, 2, 3]');
  });

  it('keeps the valid settings of a partly invalid file and resets only the bad ones', async () => {
    const original = { ...customised(), capture: { ...customised().capture, postRollMs: 999_999 }, realtime: { url: 'ftp://nope', model: 'm1', voice: 'cedar' } };
    await writeFile(path, JSON.stringify(original));
    const { settings, notice } = await new SettingsFile(path).load();
    expect(settings.hotkey).toBe('Ctrl+Space');
    expect(settings.capture.preRollMs).toBe(450);
    expect(settings.capture.postRollMs).toBe(defaultSettings().capture.postRollMs);
    expect(settings.realtime).toEqual({ url: defaultSettings().realtime.url, model: 'm1', voice: 'cedar' });
    expect(notice).toBe(
      'Some of your settings were invalid (realtime.url, capture.postRollMs), so Parley used the defaults for those. The old file is saved as settings.json.bak.',
    );
    expect(JSON.parse(await readFile(join(dir, 'settings.json.bak'), 'utf8'))).toEqual(original);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(settings);
  });

  it('resets a whole section whose shape is wrong', async () => {
    await writeFile(path, JSON.stringify({ hotkey: 'F8', capture: 'loud' }));
    const { settings, notice } = await new SettingsFile(path).load();
    expect(settings.hotkey).toBe('F8');
    expect(settings.capture).toEqual(defaultSettings().capture);
    expect(notice).toContain('(capture)');
  });

  it('drops unknown keys quietly', async () => {
    await writeFile(path, JSON.stringify({ hotkey: 'F7', fromTheFuture: true }));
    const { settings, notice } = await new SettingsFile(path).load();
    expect(notice).toBeNull();
    expect(settings).toEqual({ ...defaultSettings(), hotkey: 'F7' });
  });

  it('clears the notice once the user saves', async () => {
    await writeFile(path, 'not json');
    const file = new SettingsFile(path);
    await file.load();
    expect(file.notice).not.toBeNull();
    await file.save(customised());
    expect(file.notice).toBeNull();
  });
});
