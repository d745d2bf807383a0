import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolApprovalPolicy } from '../src/main/tools/tool-approval-policy';
import { ToolCatalog } from '../src/main/tools/tool-catalog';
import { testServerCommand } from '../test/support/mcp-test-server-command';
import { summarize, type Figure } from './figures';

const WARM_UP = 30;
const CALLS = 300;

/**
 * Parley's own overhead per tool call: from `ToolCatalog.call` with the complete arguments to the
 * output ready for the model (JSON parsing, lookup, approval, the SDK call, result text, limits,
 * redaction, events), against a bare SDK client calling `lookup_order` on another process of the
 * same MCP server. Calls alternate, so machine noise moves both alike; the tool itself does no work.
 */
export async function benchToolCalls(): Promise<Figure[]> {
  const catalog = new ToolCatalog({ servers: [{ name: 'orders', transport: 'stdio', ...testServerCommand(), env: {} }], policy: new ToolApprovalPolicy({ mode: 'read-only' }) });
  catalog.onToolEvent(() => undefined); // a listener, as the engine will have
  const bare = new Client({ name: 'bench', version: '1.0.0' });
  await Promise.all([catalog.start(), bare.connect(new StdioClientTransport({ ...testServerCommand(), stderr: 'pipe' }))]);
  const parleyMs: number[] = [];
  const bareMs: number[] = [];
  try {
    for (let i = 0; i < WARM_UP + CALLS; i++) {
      const args = { order_id: `A-${i}` };
      const throughParley = async (): Promise<number> => {
        const start = performance.now();
        const result = await catalog.call('lookup_order', JSON.stringify(args), { callId: `bench-${i}` });
        const elapsed = performance.now() - start;
        if (result.status !== 'done') throw new Error(`bench call failed: ${result.output}`);
        return elapsed;
      };
      const throughBareClient = async (): Promise<number> => {
        const start = performance.now();
        await bare.callTool({ name: 'lookup_order', arguments: args });
        return performance.now() - start;
      };
      // Which goes first alternates, so neither gains from running right after the other.
      const parley = i % 2 === 0 ? await throughParley() : 0;
      const reference = await throughBareClient();
      const measured = i % 2 === 0 ? parley : await throughParley();
      if (i >= WARM_UP) {
        parleyMs.push(measured);
        bareMs.push(reference);
      }
    }
  } finally {
    await Promise.all([catalog.dispose(), bare.close()]);
  }
  const reference = summarize('reference: bare MCP SDK client, tools/call round trip to a local stdio server', 'ms', bareMs, 50);
  // Its p95 is held to 1.5 × the reference's p95 (the table checks p95); the ratio figure holds the medians.
  const measured = summarize('tool call through Parley: arguments in → output ready, same server', 'ms', parleyMs, (reference.p95 ?? reference.value) * 1.5);
  measured.name += ` [×${(measured.value / reference.value).toFixed(2)} the reference]`;
  const overhead = summarize('  the same, minus the reference call beside it (what Parley adds)', 'ms', parleyMs.map((ms, i) => ms - bareMs[i]!), 5);
  const ratio: Figure = { name: 'tool call: Parley median ÷ bare SDK client median', unit: '×', value: measured.value / reference.value, target: 1.5 };
  return [reference, measured, overhead, ratio];
}
