import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { WebSocketServer } from 'ws';
import { voiceLikeReply } from './realtime-server-audio';
import { LoopbackRealtimeSocket, type ServerBehaviour } from './loopback-realtime-socket';
import type { RealtimeErrorBody } from './realtime-server-schemas';

/**
 * A real Realtime server on loopback, speaking OpenAI's GA protocol over `ws`. It checks every
 * client event strictly, records what it received (events, and each committed turn's audio),
 * and answers a turn the way the real service does. Used by the unit tests, the device tests
 * and the bench.
 */

export interface RealtimeServerOptions {
  /** When set, the upgrade needs `Authorization: Bearer <key>` or `api-key: <key>`, else HTTP 401. */
  apiKey?: string;
  /** The reply's audio, 24 kHz PCM16. Default: ~1.5 s of a voice-like signal. */
  replyAudio?: Int16Array;
  replyText?: string | ((responseIndex: number) => string);
  /** The user's words for the n-th committed turn (counted over the whole server). */
  userTranscript?: (turnIndex: number) => string;
  /** When the user's transcription arrives: right after the commit, or after the reply's response.done. */
  transcriptTiming?: 'before-reply' | 'after-reply';
  /** Send reply audio at the rate it plays, rather than all at once. */
  paceAudio?: boolean;
  audioChunkMs?: number;
  /** Speak the beta event names (response.audio.delta, conversation.item.created, …). */
  betaNames?: boolean;
  /** Off: never answer session.update, like some compatible servers. */
  sendSessionUpdated?: boolean;
  /** The session's `expires_at`, from the moment it is created. */
  expiresInSeconds?: number;
  /** Answer each user turn with these function calls first, all in one response; after their outputs, reply normally. */
  functionCall?: { name: string; arguments: string } | Array<{ name: string; arguments: string }>;
  /** Keep calling the functions after their outputs too, until a response.create forbids tools (tool_choice none). */
  callAgainAfterOutputs?: boolean;
  /** Audio deltas still sent after a response.cancel, as in-flight ones are by the real service (default 1). */
  deltasAfterCancel?: number;
  /**
   * Sees every valid client event before the server does; return true to swallow it (the test
   * answered itself, e.g. with `connection.sendError`).
   */
  onClientEvent?: (event: ReceivedClientEvent, connection: LoopbackRealtimeSocket) => boolean | void;
}

/** A client event as received: its JSON, with the connection it came on. */
export type ReceivedClientEvent = { type: string; event_id?: string; [field: string]: unknown };

export interface ReceivedTurn {
  /** The committed audio: every append since the last commit or clear, concatenated (24 kHz). */
  audio: Int16Array;
  itemId: string;
  connection: number;
}

export interface UpgradeRequest {
  url: string;
  headers: IncomingHttpHeaders;
  accepted: boolean;
}

type Match = string | ((event: ReceivedClientEvent) => boolean);
type EventOfType<T extends string> = T extends RealtimeClientEvent['type'] ? Extract<RealtimeClientEvent, { type: T }> & ReceivedClientEvent : ReceivedClientEvent;

export interface RealtimeTestServer {
  /** `ws://127.0.0.1:<port>/v1/realtime` */
  url: string;
  port: number;
  /** Every client event received, in order, over all connections. */
  clientEvents: ReceivedClientEvent[];
  /** Which connection (1-based, in order of opening) each entry of clientEvents came on. */
  clientEventConnections: number[];
  /** Client events that failed validation or that a real server would answer with an error. Should stay empty. */
  protocolViolations: string[];
  turns: ReceivedTurn[];
  upgrades: UpgradeRequest[];
  connections: LoopbackRealtimeSocket[];
  /** The newest open connection. */
  current(): LoopbackRealtimeSocket | undefined;
  /** Resolves with the first matching client event at or after `fromIndex` (default 0), waiting if needed. */
  waitFor<T extends string>(type: T, timeoutMs?: number, fromIndex?: number): Promise<EventOfType<T>>;
  waitFor(predicate: (event: ReceivedClientEvent) => boolean, timeoutMs?: number, fromIndex?: number): Promise<ReceivedClientEvent>;
  /** Resolves once `count` connections have been accepted. */
  waitForConnection(count: number, timeoutMs?: number): Promise<LoopbackRealtimeSocket>;
  /** Sends an `error` event on the newest open connection. */
  sendError(error: Partial<RealtimeErrorBody> & { message: string }): void;
  /** Closes every open client socket with this code, as the real service does at its time cap (1001). */
  dropConnections(code?: number, reason?: string): void;
  close(): Promise<void>;
}

export async function startRealtimeServer(options: RealtimeServerOptions = {}): Promise<RealtimeTestServer> {
  const replyText = options.replyText ?? 'Here is a short spoken answer from the loopback server.';
  const behaviour: ServerBehaviour = {
    replyAudio: options.replyAudio ?? voiceLikeReply(),
    replyText: typeof replyText === 'function' ? replyText : () => replyText,
    userTranscript: options.userTranscript ?? ((turn) => `User turn ${turn + 1}.`),
    transcriptTiming: options.transcriptTiming ?? 'before-reply',
    paceAudio: options.paceAudio ?? false,
    audioChunkMs: options.audioChunkMs ?? 50,
    betaNames: options.betaNames ?? false,
    sendSessionUpdated: options.sendSessionUpdated ?? true,
    expiresInSeconds: options.expiresInSeconds ?? 3600,
    functionCalls: options.functionCall ? [options.functionCall].flat() : [],
    callAgainAfterOutputs: options.callAgainAfterOutputs ?? false,
    deltasAfterCancel: options.deltasAfterCancel ?? 1,
  };
  const clientEvents: ReceivedClientEvent[] = [];
  const clientEventConnections: number[] = [];
  const protocolViolations: string[] = [];
  const turns: ReceivedTurn[] = [];
  const upgrades: UpgradeRequest[] = [];
  const connections: LoopbackRealtimeSocket[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Upgrade to WebSocket required' } }));
  });
  const wss = new WebSocketServer({ noServer: true });

  http.on('upgrade', (req, socket, head) => {
    const record: UpgradeRequest = { url: req.url ?? '', headers: req.headers, accepted: false };
    upgrades.push(record);
    const path = new URL(req.url ?? '/', 'http://loopback').pathname;
    if (path !== '/v1/realtime') return refuse(socket, 404, 'Not Found', { message: `Invalid URL (GET ${path})`, type: 'invalid_request_error', code: 'unknown_url' });
    if (options.apiKey !== undefined) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const key = bearer ?? req.headers['api-key'];
      if (key !== options.apiKey) {
        return refuse(socket, 401, 'Unauthorized', { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' });
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      record.accepted = true;
      if (req.headers['openai-beta']) {
        protocolViolations.push(`OpenAI-Beta header sent: ${String(req.headers['openai-beta'])}`);
        ws.close(4000, 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.');
        return;
      }
      const model = new URL(req.url ?? '/', 'http://loopback').searchParams.get('model') ?? 'gpt-realtime';
      const connection = new LoopbackRealtimeSocket(connections.length + 1, ws, {
        options: behaviour,
        recordClientEvent: (event, id) => {
          clientEvents.push(event as ReceivedClientEvent);
          clientEventConnections.push(id);
          notify();
        },
        recordViolation: (message) => protocolViolations.push(message),
        recordTurn: (audio, itemId, id) => {
          turns.push({ audio, itemId, connection: id });
          notify();
          return turns.length - 1;
        },
        intercept: (event, conn) => options.onClientEvent?.(event as ReceivedClientEvent, conn) === true,
      }, model);
      connections.push(connection);
      notify();
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        const found = check();
        if (found === undefined) return;
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received: ${clientEvents.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(attempt);
      attempt();
    });
  }

  const server: RealtimeTestServer = {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    port,
    clientEvents,
    clientEventConnections,
    protocolViolations,
    turns,
    upgrades,
    connections,
    current: () => connections.filter((c) => c.isOpen).at(-1),
    waitFor: ((match: Match, timeoutMs = 5000, fromIndex = 0) => {
      const test = typeof match === 'string' ? (e: ReceivedClientEvent) => e.type === match : match;
      return waitUntil(() => clientEvents.slice(fromIndex).find(test), timeoutMs, typeof match === 'string' ? match : 'a matching client event');
    }) as RealtimeTestServer['waitFor'],
    waitForConnection: (count, timeoutMs = 5000) => waitUntil(() => connections[count - 1], timeoutMs, `connection #${count}`),
    sendError: (error) => server.current()?.sendError(error),
    dropConnections: (code = 1011, reason = '') => {
      for (const connection of connections) if (connection.isOpen) connection.close(code, reason);
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}

function refuse(socket: Duplex, status: number, text: string, error: Record<string, unknown>): void {
  const body = JSON.stringify({ error });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export { voiceLikeReply } from './realtime-server-audio';
export type { LoopbackRealtimeSocket } from './loopback-realtime-socket';
