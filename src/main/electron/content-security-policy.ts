/**
 * The windows' Content-Security-Policy. The electron-vite config puts it in a
 * `<meta http-equiv="Content-Security-Policy">` tag at the top of each renderer page; the main
 * process also sends it as a response header for http pages (the dev server). In dev the tag
 * and the header carry DEV_CSP, because Vite's hot reload needs an inline script, injected
 * `<style>` tags and a WebSocket back to the dev server.
 *
 * The page needs nothing from the network: every request to a model server is made by the
 * main process. So nothing but the app's own files is allowed, and no inline script or style
 * (React's `style={{…}}` props are fine: they set styles through the DOM, not markup).
 * `frame-ancestors` only takes effect in the header (browsers ignore it in a meta tag).
 */
export const PRODUCTION_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const DEV_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function contentSecurityPolicy(isDev: boolean): string {
  return isDev ? DEV_CSP : PRODUCTION_CSP;
}
