import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../settings/atomic-file';

/**
 * Start at login on Linux: an XDG autostart entry (`~/.config/autostart/parley.desktop`),
 * which every freedesktop session honours. Electron's `app.setLoginItemSettings` covers macOS
 * and Windows and does nothing on Linux. Plain Node, so it is tested without Electron.
 */
export interface AutostartEntryOptions {
  /** The command that starts Parley: the AppImage (APPIMAGE) or the installed binary. */
  executable: string;
  /** Start in the tray with the hotkey live, without opening the window. */
  hidden: boolean;
  env?: NodeJS.ProcessEnv;
}

export const HIDDEN_FLAG = '--hidden';

export function autostartEntryPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'autostart', 'parley.desktop');
}

export function autostartEntry(options: AutostartEntryOptions): string {
  const command = [quoteExec(options.executable), ...(options.hidden ? [HIDDEN_FLAG] : [])].join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Parley',
    'Comment=Push-to-talk voice assistant',
    `Exec=${command}`,
    'Icon=parley',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the entry to match the setting. */
export async function applyAutostartEntry(enabled: boolean, options: AutostartEntryOptions): Promise<void> {
  const path = autostartEntryPath(options.env);
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomically(path, autostartEntry(options), 0o644);
}

/** The Exec key's quoting rules (Desktop Entry Specification): reserved characters go in double quotes. */
function quoteExec(path: string): string {
  if (!/[\s"'\\$`<>~|&;*?#()]/.test(path)) return path;
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}
