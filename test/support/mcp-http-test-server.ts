import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerTestTools } from './mcp-test-tools';

/**
 * A real MCP server over Streamable HTTP on loopback. Stateless by default (a fresh server per
 * request, as the SDK's stateless example does); `stateful` keeps sessions (Mcp-Session-Id), and
 * forgets them all when it is closed and started again on the same `port`, as a real server's
 * restart does. Every request must carry `Authorization: Bearer <token>`; others get 401, so
 * tests can check that configured headers are sent.
 */
export class McpHttpTestServer {
  readonly journal: string[] = [];
  rejectedRequests = 0;

  private constructor(
    private readonly http: Server,
    readonly token: string,
  ) {}

  static async start(token: string, options: { stateful?: boolean; port?: number } = {}): Promise<McpHttpTestServer> {
    const http = createServer();
    const server = new McpHttpTestServer(http, token);
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    http.on('request', (request, response) => {
      if (request.headers.authorization !== `Bearer ${token}`) {
        server.rejectedRequests++;
        response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
        return;
      }
      const sessionId = request.headers['mcp-session-id'];
      const known = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (known) return void known.handleRequest(request, response);
      if (typeof sessionId === 'string') {
        // A session this server never gave out (or gave out before a restart): 404, as the SDK's servers answer.
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      const mcp = new McpServer({ name: 'parley-http-test', version: '1.0.0' });
      registerTestTools(mcp, server.journal);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: options.stateful ? () => randomUUID() : undefined,
        onsessioninitialized: (id) => void sessions.set(id, transport),
      });
      if (!options.stateful) {
        response.on('close', () => {
          void transport.close();
          void mcp.close();
        });
      }
      void mcp.connect(transport).then(() => transport.handleRequest(request, response));
    });
    await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
