import { fileURLToPath } from 'node:url';

/**
 * The command line that starts test/support/mcp-test-server.ts as one process (tsx as a loader,
 * not tsx's CLI, which would put a second process between Parley and the server).
 */
export function testServerCommand(...flags: string[]): { command: string; args: string[] } {
  const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
  const script = fileURLToPath(new URL('./mcp-test-server.ts', import.meta.url));
  return { command: process.execPath, args: ['--import', tsx, script, ...flags] };
}
