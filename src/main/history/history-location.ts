import { homedir } from 'node:os';
import { join } from 'node:path';

/** The desktop app's name on disk; Electron derives its user-data folder from `productName`. */
const PRODUCT_NAME = 'Parley';
export const HISTORY_FILE_NAME = 'history.sqlite';

/**
 * The folder Electron's `app.getPath('userData')` returns for Parley, worked out without
 * Electron so the headless mode and the history CLI find the same database as the window.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, PRODUCT_NAME);
}

export function historyFilePath(dataDir: string): string {
  return join(dataDir, HISTORY_FILE_NAME);
}
