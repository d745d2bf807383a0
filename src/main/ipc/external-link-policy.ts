/**
 * The only pages Parley will open in the user's browser. Links in the window go through
 * here, because `shell.openExternal` with an arbitrary URL can launch any registered
 * protocol handler on the machine.
 */
const ALLOWED_HOSTS: ReadonlyArray<{ host: string; path?: RegExp }> = [
  { host: 'platform.openai.com' },
  { host: 'help.openai.com' },
  { host: 'docs.vllm.ai' },
  // Parley's own repository (issues, README), whoever hosts the fork.
  { host: 'github.com', path: /^\/[\w.-]+\/parley(?:[/?#]|$)/i },
];

/** True only for https URLs on the allow-list, with no credentials and no unusual port. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return ALLOWED_HOSTS.some((entry) => entry.host === host && (!entry.path || entry.path.test(parsed.pathname)));
}
