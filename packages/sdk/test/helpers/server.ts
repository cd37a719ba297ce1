// A real loopback HTTP server whose every answer the test scripts, recording what the client sent.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { n: number; body: string; recorded: Recorded },
) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: Recorded[];
  /** Resolves when the client closed the connection of request number `n` (0-based) before the answer ended. */
  clientClosed(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const closed = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  const closedEntry = (n: number) => {
    let e = closed.get(n);
    if (!e) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      e = { promise, resolve };
      closed.set(n, e);
    }
    return e;
  };
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const n = requests.length;
    const recorded: Recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      at: performance.now(),
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) closedEntry(n).resolve();
    });
    try {
      await handler(req, res, { n, body, recorded });
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clientClosed: (n) => closedEntry(n).promise,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The gateway's error body (docs/prompts.md "Errors"). */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: { param?: string; details?: unknown; requestId?: string; headers?: Record<string, string> } = {},
) {
  const requestId = extra.requestId ?? `req_${code}`;
  sendJson(
    res,
    status,
    {
      error: { code, message, type: 'invalid_request_error', param: extra.param ?? null, details: extra.details },
      request_id: requestId,
    },
    { 'x-request-id': requestId, ...extra.headers },
  );
}

/** Drops the connection without an answer, as a crashed process or a broken network does. */
export function resetConnection(res: ServerResponse) {
  res.socket?.resetAndDestroy();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function executeResult(overrides: Record<string, unknown> = {}) {
  return {
    output: 'Hello there',
    usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
    cost: 0.00012,
    model: 'mock-1',
    promptId: 'analyze',
    promptVersion: 3,
    requestId: 'req_ok',
    findings: [],
    ...overrides,
  };
}
