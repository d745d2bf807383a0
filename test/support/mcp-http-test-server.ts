import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerTestTools } from './mcp-test-tools';

/**
 * A real MCP server over Streamable HTTP on loopback, stateless (a fresh server per request, as
 * the SDK's stateless example does). Every request must carry `Authorization: Bearer <token>`;
 * others get 401, so tests can check that configured headers are sent.
 */
export class McpHttpTestServer {
  readonly journal: string[] = [];
  rejectedRequests = 0;

  private constructor(
    private readonly http: Server,
    readonly token: string,
  ) {}

  static async start(token: string): Promise<McpHttpTestServer> {
    const http = createServer();
    const server = new McpHttpTestServer(http, token);
    http.on('request', (request, response) => {
      if (request.headers.authorization !== `Bearer ${token}`) {
        server.rejectedRequests++;
        response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
        return;
      }
      const mcp = new McpServer({ name: 'parley-http-test', version: '1.0.0' });
      registerTestTools(mcp, server.journal);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      response.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      void mcp.connect(transport).then(() => transport.handleRequest(request, response));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/mcp`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
