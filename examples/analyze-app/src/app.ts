// The example backend: it holds the Portcullis API key, runs the `analyze` prompt for its front end, and mints
// short-lived client tokens so a browser can run the prompt itself without ever seeing the key.

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Portcullis, PortcullisError } from '@portcullis/sdk';

export interface AppOptions {
  /** A client built with a server-side API key that has the `execute` and `tokens` scopes. */
  client: Portcullis;
  /**
   * The gateway URL as the browser reaches it, when the gateway is served to browsers (same site or CORS).
   * Default: none, and the page calls the gateway through this backend's `/gateway` pass-through.
   */
  publicGatewayUrl?: string;
  /** Lifetime of the tokens minted for the page; default 300 s. */
  tokenTtlSeconds?: number;
}

const MAX_BODY = 64 * 1024;
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
// The page imports the SDK's own source; the server strips its types, so the demo needs no bundler.
const SDK_DIR = dirname(fileURLToPath(import.meta.resolve('@portcullis/sdk')));

class HttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(String(body['error']));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function createApp(opts: AppOptions): Server {
  const { client } = opts;
  const gatewayUrl = opts.publicGatewayUrl ?? null;

  async function analyze(req: IncomingMessage): Promise<Record<string, unknown>> {
    const body = await readJson(req);
    const text = body['text'];
    if (typeof text !== 'string' || text.trim() === '') {
      throw new HttpError(400, { error: 'text must be a non-empty string' });
    }
    // Only the variable goes to the gateway: the prompt itself lives there, versioned and reviewed.
    const result = await client.execute({ promptId: 'analyze', variables: { text } });
    return { output: result.output, totalTokens: result.usage.totalTokens };
  }

  async function token(): Promise<Record<string, unknown>> {
    // A real app authenticates its user here and passes their id as `subject`, so every call made with the
    // token is attributable. The token can run only `analyze`, for a few minutes, a few times a minute.
    const t = await client.clientTokens.create({
      prompts: ['analyze'],
      ttlSeconds: opts.tokenTtlSeconds ?? 300,
      rateLimit: { requests: 5, perSeconds: 60 },
    });
    return { token: t.token, expiresAt: t.expiresAt, gatewayUrl };
  }

  return createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const e = toHttpError(err);
      if (!res.headersSent) sendJson(res, e.status, e.body, e.headers);
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/analyze') return sendJson(res, 200, await analyze(req));
    if (req.method === 'POST' && url.pathname === '/token') return sendJson(res, 200, await token());
    if (req.method === 'POST' && EXECUTE_PATH.test(url.pathname)) return passThrough(req, res, client.baseUrl);
    if (req.method === 'GET' && url.pathname === '/') {
      const html = await readFile(join(PUBLIC_DIR, 'index.html'));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    const sdkFile = /^\/sdk\/([a-z-]+\.ts)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && sdkFile) {
      const source = await readFile(join(SDK_DIR, sdkFile), 'utf8').catch(() => undefined);
      if (source !== undefined) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(stripTypeScriptTypes(source));
        return;
      }
    }
    throw new HttpError(404, { error: 'not found' });
  }
}

const EXECUTE_PATH = /^\/gateway\/v1\/prompts\/[a-z0-9][a-z0-9_-]{0,63}\/execute$/;
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'x-request-id', 'retry-after', 'idempotent-replayed'];

/**
 * Same-origin access for the page: a gateway on another origin needs CORS, which not every deployment enables, so
 * the page's execute calls can go through here. Only execute, only with the page's own client token (the
 * backend's key is never attached), streamed through as they come.
 */
async function passThrough(req: IncomingMessage, res: ServerResponse, gatewayBaseUrl: string): Promise<void> {
  if (!/^Bearer pct_/.test(req.headers['authorization'] ?? '')) {
    throw new HttpError(401, { error: 'send a client token from POST /token' });
  }
  const headers: Record<string, string> = {};
  for (const h of FORWARDED_REQUEST_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, { error: 'body too large' });
    chunks.push(chunk as Buffer);
  }
  // When the page goes away, the gateway call is cancelled too.
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  const path = (req.url ?? '').replace(/^\/gateway/, '');
  const upstream = await fetch(gatewayBaseUrl + path, {
    method: 'POST',
    headers,
    body: Buffer.concat(chunks),
    signal: ac.signal,
  }).catch(() => {
    throw new HttpError(502, { error: 'The analysis service is unavailable' });
  });
  const out: Record<string, string> = {};
  for (const h of FORWARDED_RESPONSE_HEADERS) {
    const v = upstream.headers.get(h);
    if (v !== null) out[h] = v;
  }
  res.writeHead(upstream.status, out);
  if (!upstream.body) {
    res.end();
    return;
  }
  try {
    for await (const chunk of upstream.body) res.write(chunk);
    res.end();
  } catch {
    res.destroy();
  }
}

/** What the front end may learn from a failure: the gateway's verdict on its input, not the backend's internals. */
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof PortcullisError) {
    if (err.code === 'invalid_variables' || err.code === 'content_blocked') {
      return new HttpError(400, { error: err.message, code: err.code, details: err.details });
    }
    if (err.status === 429) {
      const headers: Record<string, string> = {};
      if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
      return new HttpError(429, { error: 'Too many requests, try again later', code: err.code }, headers);
    }
    // Keys, scopes and outages are the operator's business: log the request id for them, tell the user little.
    console.error(`portcullis call failed: ${err.name} ${err.code} request ${err.requestId ?? '-'}`);
    return new HttpError(502, { error: 'The analysis service is unavailable', requestId: err.requestId });
  }
  console.error('unexpected error', err);
  return new HttpError(500, { error: 'internal error' });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, { error: 'send application/json' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, { error: 'body too large' });
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, { error: 'body is not valid JSON' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, { error: 'body must be a JSON object' });
  }
  return body as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
