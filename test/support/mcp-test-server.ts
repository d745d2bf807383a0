/**
 * A real MCP server over stdio, for Parley's tool tests and bench. Run it as
 * `node --import <tsx> test/support/mcp-test-server.ts [--exit-at-start] [--hang] [--name NAME]`
 * (see `testServerCommand`). `--exit-at-start` prints to stderr and exits before answering;
 * `--hang` never answers `initialize`. The tool `crash` ends the process, to test restarts.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerTestTools } from './mcp-test-tools';

const args = process.argv.slice(2);
const name = args.includes('--name') ? args[args.indexOf('--name') + 1]! : 'parley-test';

if (args.includes('--exit-at-start')) {
  const key = process.env.ORDERS_API_KEY;
  process.stderr.write(`starting up\nfatal: ${key ? `the key ${key} was rejected` : 'ORDERS_API_KEY is not set'}\n`);
  process.exit(2);
} else if (args.includes('--hang')) {
  // Reads stdin so the pipe stays open, and never replies.
  process.stdin.resume();
} else {
  const journal: string[] = [];
  const server = new McpServer({ name, version: '1.0.0' });
  registerTestTools(server, journal);
  server.registerTool('crash', { description: 'Ends the server process at once.' }, async () => {
    process.stderr.write('crashing on purpose\n');
    process.exit(3);
  });
  await server.connect(new StdioServerTransport());
}
