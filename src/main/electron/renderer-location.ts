import { pathToFileURL } from 'node:url';

/**
 * Where the window's page comes from: the built file in production, or electron-vite's dev
 * server in development. The sender check and the navigation guard both compare against it.
 */
export type RendererLocation = { kind: 'file'; url: string } | { kind: 'dev-server'; origin: string; url: string };

export function rendererLocation(options: { devServerUrl: string | undefined; indexHtmlPath: string }): RendererLocation {
  if (options.devServerUrl) {
    const url = new URL(options.devServerUrl);
    return { kind: 'dev-server', origin: url.origin, url: url.href };
  }
  return { kind: 'file', url: pathToFileURL(options.indexHtmlPath).href };
}

/** True when `url` is our own page: the same file (any hash or query), or the dev server's origin. */
export function isOwnRendererUrl(url: string, location: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.kind === 'dev-server') return parsed.origin === location.origin;
  const own = new URL(location.url);
  return parsed.protocol === 'file:' && parsed.host === own.host && parsed.pathname === own.pathname;
}
