import { app } from 'electron';
import type { DesktopSettings } from '../../shared/settings';
import { applyAutostartEntry, HIDDEN_FLAG } from '../desktop/autostart-entry';

/**
 * Start at login, as each platform does it: Electron's login items on macOS and Windows, and an
 * XDG autostart entry on Linux, where `setLoginItemSettings` does nothing. When it starts at
 * login hidden, Parley sits in the tray with the hotkey live.
 */
export async function applyLoginItem(desktop: DesktopSettings): Promise<void> {
  if (process.platform === 'linux') {
    // An AppImage runs from a temporary mount: start the AppImage file itself.
    const executable = process.env.APPIMAGE ?? process.execPath;
    await applyAutostartEntry(desktop.startAtLogin, { executable, hidden: desktop.startHidden });
    return;
  }
  app.setLoginItemSettings({ openAtLogin: desktop.startAtLogin, args: desktop.startHidden ? [HIDDEN_FLAG] : [] });
}

/** Whether this start should keep the window hidden: started at login hidden, or asked to. */
export function startsHidden(desktop: DesktopSettings, argv: readonly string[] = process.argv): boolean {
  return desktop.startHidden || argv.includes(HIDDEN_FLAG);
}
