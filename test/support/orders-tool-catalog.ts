import { ToolApprovalPolicy, ToolCatalog, type ToolEvent } from '../../src/main/tools/tool-catalog';
import { testServerCommand } from './mcp-test-server-command';

/**
 * The catalog the backends' tool tests call through: a real ToolCatalog with the real stdio MCP
 * test server ("orders"), read-only tools run without asking, and the built-in clock in Lisbon.
 * Every tool event is pushed to `events`.
 */
export async function startOrdersCatalog(events: ToolEvent[]): Promise<ToolCatalog> {
  const catalog = new ToolCatalog({
    servers: [{ name: 'orders', transport: 'stdio', ...testServerCommand(), env: {} }],
    policy: new ToolApprovalPolicy({ mode: 'read-only' }),
    builtIns: { timeZone: 'Europe/Lisbon' },
  });
  catalog.onToolEvent((event) => events.push(event));
  await catalog.start();
  return catalog;
}
