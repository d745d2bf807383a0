/**
 * The user's OS in Node's `process.platform` spelling, guessed from the browser (the sandboxed
 * page has no `process`). Only used for key words: "Cmd" on a Mac, "Win" on Windows.
 */
export function userPlatform(): string | undefined {
  const platform = navigator.platform.toLowerCase();
  if (platform.startsWith('mac')) return 'darwin';
  if (platform.startsWith('win')) return 'win32';
  if (platform.includes('linux')) return 'linux';
  return undefined;
}
