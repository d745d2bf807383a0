import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAutostartEntry, autostartEntry, autostartEntryPath } from '../../../src/main/desktop/autostart-entry';

describe('XDG autostart entry', () => {
  it('is written to $XDG_CONFIG_HOME/autostart when start at login is on, and removed when off', async () => {
    const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'parley-xdg-')) };
    const path = autostartEntryPath(env);
    expect(path).toBe(join(env.XDG_CONFIG_HOME, 'autostart', 'parley.desktop'));
    await applyAutostartEntry(true, { executable: '/opt/Parley/parley', hidden: false, env });
    expect(readFileSync(path, 'utf8')).toContain('Exec=/opt/Parley/parley\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    await applyAutostartEntry(true, { executable: '/opt/Parley/parley', hidden: true, env });
    expect(readFileSync(path, 'utf8')).toContain('Exec=/opt/Parley/parley --hidden\n');
    await applyAutostartEntry(false, { executable: '/opt/Parley/parley', hidden: true, env });
    expect(existsSync(path)).toBe(false);
    await applyAutostartEntry(false, { executable: '/opt/Parley/parley', hidden: true, env }); // already gone: fine
  });

  it('quotes an executable path with spaces as the Desktop Entry spec asks', () => {
    const entry = autostartEntry({ executable: '/home/me/Apps/Parley "beta"/Parley.AppImage', hidden: false });
    expect(entry).toContain('Exec="/home/me/Apps/Parley \\"beta\\"/Parley.AppImage"');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\nName=Parley\n')).toBe(true);
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(autostartEntryPath({ XDG_CONFIG_HOME: 'relative/dir' })).toMatch(/\.config\/autostart\/parley\.desktop$/);
  });
});
