import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** Fixed answer of `lookup_order`, so tests can check the text reaches the caller word for word. */
export const ORDER_TEXT = (id: string): string => `Order ${id}: two desk lamps, shipped on Tuesday, arriving Friday.`;

/**
 * The tools of Parley's test MCP servers (stdio and Streamable HTTP). Each covers one case the
 * tool layer must handle. `journal` records what the server saw (calls, cancellations), and
 * `read_journal` lets a test read it back through the protocol itself.
 */
export function registerTestTools(server: McpServer, journal: string[]): void {
  server.registerTool(
    'lookup_order',
    {
      description: 'Looks up an order by its id and says what is in it and where it is.',
      inputSchema: { order_id: z.string().describe('The order id, like A-7731') },
      annotations: { readOnlyHint: true },
    },
    async ({ order_id }) => {
      journal.push(`lookup_order ${order_id}`);
      return { content: [{ type: 'text', text: ORDER_TEXT(order_id) }] };
    },
  );

  server.registerTool(
    'place_order',
    { description: 'Places an order for an item.', inputSchema: { item: z.string() }, annotations: { readOnlyHint: false, destructiveHint: false } },
    async ({ item }) => {
      journal.push(`place_order ${item}`);
      return { content: [{ type: 'text', text: `Placed an order for ${item}.` }] };
    },
  );

  server.registerTool(
    'slow_task',
    { description: 'Takes a while.', inputSchema: { seconds: z.number() }, annotations: { readOnlyHint: true } },
    async ({ seconds }, extra) => {
      journal.push('slow_task started');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          journal.push('slow_task cancelled');
          resolve();
        });
      });
      return { content: [{ type: 'text', text: `Waited ${seconds} s.` }] };
    },
  );

  server.registerTool('fail_always', { description: 'Always fails.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => {
    throw new Error('The order database is offline');
  });

  server.registerTool('read_journal', { description: 'What this server saw.', annotations: { readOnlyHint: true } }, async () => ({
    content: [{ type: 'text', text: journal.join('\n') }],
  }));

  server.registerTool(
    'echo_env',
    { description: 'Says the value of an environment variable.', inputSchema: { name: z.string() }, annotations: { readOnlyHint: true } },
    async ({ name }) => ({ content: [{ type: 'text', text: `${name}=${process.env[name] ?? '(unset)'}` }] }),
  );

  server.registerTool(
    'big_text',
    { description: 'Returns a long text.', inputSchema: { chars: z.number() }, annotations: { readOnlyHint: true } },
    async ({ chars }) => ({ content: [{ type: 'text', text: 'x'.repeat(chars) }] }),
  );

  server.registerTool('picture', { description: 'Returns a caption and a picture.', annotations: { readOnlyHint: true } }, async () => ({
    content: [
      { type: 'text', text: 'A red square.' },
      { type: 'image', data: Buffer.alloc(300).toString('base64'), mimeType: 'image/png' },
    ],
  }));

  server.registerTool('add_tool', { description: 'Adds the tool "fresh_tool" to this server.', annotations: { readOnlyHint: true } }, async () => {
    server.registerTool('fresh_tool', { description: 'A tool added while running.', annotations: { readOnlyHint: true } }, async () => ({
      content: [{ type: 'text', text: 'fresh' }],
    }));
    return { content: [{ type: 'text', text: 'Added fresh_tool.' }] };
  });
}
