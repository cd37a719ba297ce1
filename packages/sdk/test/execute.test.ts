import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  Portcullis,
  PortcullisError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../src/index.ts';
import {
  executeResult,
  type Handler,
  resetConnection,
  sendError,
  sendJson,
  sleep,
  startServer,
  type TestServer,
} from './helpers/server.ts';

const KEY = 'pcx_live_TESTKEYabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ';
// Small backoff so retry tests take milliseconds; production defaults are 0.5 s doubling to 8 s.
const FAST = { baseDelayMs: 10, maxDelayMs: 40 };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, opts: Partial<ConstructorParameters<typeof Portcullis>[0]> = {}) {
  server = await startServer(handler);
  const client = new Portcullis({ apiKey: KEY, baseUrl: `${server.url}/`, retry: FAST, ...opts });
  return { client, s: server };
}

async function rejection(p: Promise<unknown>): Promise<PortcullisError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PortcullisError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('execute', () => {
  it('posts the variables with the key and an idempotency key, and returns the typed result', async () => {
    const { client, s } = await setup((_req, res) => sendJson(res, 200, executeResult(), { 'x-request-id': 'req_ok' }));
    const r = await client.execute({
      promptId: 'analyze',
      variables: { text: 'hi', n: 2, tags: ['a'] },
      label: 'staging',
    });
    expect(r).toEqual({ ...executeResult(), replayed: false });
    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/prompts/analyze/execute');
    expect(req.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(req.body)).toEqual({ variables: { text: 'hi', n: 2, tags: ['a'] }, label: 'staging' });
  });

  it('sends version, the caller\u2019s idempotency key and default headers; encodes the prompt id', async () => {
    const { client, s } = await setup(
      (_req, res) => sendJson(res, 200, executeResult(), { 'idempotent-replayed': 'true' }),
      {
        defaultHeaders: { 'x-app': 'demo' },
      },
    );
    const r = await client.execute({ promptId: 'a/b', variables: {}, version: 3, idempotencyKey: 'mine-1' });
    expect(r.replayed).toBe(true);
    const req = s.requests[0]!;
    expect(req.url).toBe('/v1/prompts/a%2Fb/execute');
    expect(req.headers['idempotency-key']).toBe('mine-1');
    expect(req.headers['x-app']).toBe('demo');
    expect(JSON.parse(req.body)).toEqual({ variables: {}, version: 3 });
  });

  it('sends no idempotency key when retries are off', async () => {
    const { client, s } = await setup((_req, res) => sendJson(res, 200, executeResult()), { maxRetries: 0 });
    await client.execute({ promptId: 'analyze', variables: {} });
    expect(s.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('waits out Retry-After on 429 and reuses the same idempotency key', async () => {
    const { client, s } = await setup((_req, res, { n }) => {
      if (n < 2) sendError(res, 429, 'rate_limited', 'slow down', { headers: { 'retry-after': '0.15' } });
      else sendJson(res, 200, executeResult());
    });
    const r = await client.execute({ promptId: 'analyze', variables: { text: 'x' } });
    expect(r.output).toBe('Hello there');
    expect(s.requests).toHaveLength(3);
    const keys = new Set(s.requests.map((q) => q.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(140);
    expect(s.requests[2]!.at - s.requests[1]!.at).toBeGreaterThanOrEqual(140);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { client, s } = await setup((_req, res, { n }) => {
      // HTTP dates have whole seconds: ask for the next second boundary at least 1 s away.
      const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
      if (n === 0) sendError(res, 503, 'unavailable', 'busy', { headers: { 'retry-after': at.toUTCString() } });
      else sendJson(res, 200, executeResult());
    });
    await client.execute({ promptId: 'analyze', variables: {} });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('does not wait out a Retry-After beyond the cap: throws at once with retryAfterMs', async () => {
    const { client, s } = await setup((_req, res) =>
      sendError(res, 429, 'rate_limited', 'come back in an hour', { headers: { 'retry-after': '3600' } }),
    );
    const t0 = performance.now();
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.code).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(s.requests).toHaveLength(1);
  });

  it('retries 503 with backoff up to maxRetries, then throws a ServerError with the code and request id', async () => {
    const { client, s } = await setup(
      (_req, res, { n }) => sendError(res, 503, 'unavailable', 'shutting down', { requestId: `req_${n}` }),
      { maxRetries: 3, retry: { baseDelayMs: 30, maxDelayMs: 1000 } },
    );
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.status).toBe(503);
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe('shutting down');
    expect(err.requestId).toBe('req_3');
    expect(s.requests).toHaveLength(4);
    // Backoff with jitter in the upper half of each step: ≥ 15, 30, 60 ms.
    const gaps = s.requests.slice(1).map((q, i) => q.at - s.requests[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(14);
    expect(gaps[1]).toBeGreaterThanOrEqual(29);
    expect(gaps[2]).toBeGreaterThanOrEqual(59);
  });

  it('retries a reset connection with the same idempotency key', async () => {
    const { client, s } = await setup((_req, res, { n }) => {
      if (n === 0) resetConnection(res);
      else sendJson(res, 200, executeResult(), { 'idempotent-replayed': 'true' });
    });
    const r = await client.execute({ promptId: 'analyze', variables: {} });
    expect(r.replayed).toBe(true);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.headers['idempotency-key']).toBe(s.requests[0]!.headers['idempotency-key']);
  });

  it('gives up on connection errors after maxRetries with a ConnectionError', async () => {
    const { client, s } = await setup((_req, res) => resetConnection(res), { maxRetries: 1 });
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('connection_error');
    expect(err.status).toBeUndefined();
    expect(s.requests).toHaveLength(2);
  });

  it('reports an unreachable gateway as a ConnectionError', async () => {
    const { client } = await setup(() => {});
    const url = server!.url;
    await server!.close();
    server = undefined;
    const c = new Portcullis({ apiKey: KEY, baseUrl: url, maxRetries: 0 });
    const err = await rejection(c.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    void client;
  });

  it('retries a 409 idempotency_conflict only on a retry of its own (the first attempt is still running)', async () => {
    const { client, s } = await setup((_req, res, { n }) => {
      if (n === 0) resetConnection(res);
      else if (n === 1)
        sendError(res, 409, 'idempotency_conflict', 'in flight', { headers: { 'retry-after': '0.05' } });
      else sendJson(res, 200, executeResult(), { 'idempotent-replayed': 'true' });
    });
    const r = await client.execute({ promptId: 'analyze', variables: {} });
    expect(r.replayed).toBe(true);
    expect(s.requests).toHaveLength(3);
    expect(new Set(s.requests.map((q) => q.headers['idempotency-key'])).size).toBe(1);
  });

  it('does not retry a 409 on the first attempt (the caller reused a key)', async () => {
    const { client, s } = await setup((_req, res) =>
      sendError(res, 409, 'idempotency_conflict', 'key used with a different body'),
    );
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {}, idempotencyKey: 'k1' }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('idempotency_conflict');
    expect(s.requests).toHaveLength(1);
  });

  it('maps each status to its class, keeps code, param, details and request id, and never retries them', async () => {
    const cases: [number, string, new (...a: never[]) => PortcullisError][] = [
      [400, 'invalid_variables', InvalidRequestError],
      [400, 'invalid_request', InvalidRequestError],
      [401, 'expired_client_token', AuthenticationError],
      [403, 'prompt_not_allowed', PermissionError],
      [404, 'prompt_not_found', NotFoundError],
      [413, 'body_too_large', InvalidRequestError],
    ];
    let i = 0;
    const { client, s } = await setup((_req, res) => {
      const [status, code] = cases[i]!;
      sendError(res, status, code, `msg ${code}`, {
        param: 'variables.text',
        details:
          code === 'invalid_variables' ? [{ field: 'text', problem: 'is longer than 4000 characters' }] : undefined,
        requestId: `req_${i}`,
      });
    });
    for (; i < cases.length; i++) {
      const [status, code, Cls] = cases[i]!;
      const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
      expect(err).toBeInstanceOf(Cls);
      expect(err).toBeInstanceOf(PortcullisError);
      expect(err.name).toBe(Cls.name);
      expect(err.status).toBe(status);
      expect(err.code).toBe(code);
      expect(err.message).toBe(`msg ${code}`);
      expect(err.param).toBe('variables.text');
      expect(err.requestId).toBe(`req_${i}`);
      if (code === 'invalid_variables') {
        expect(err.details).toEqual([{ field: 'text', problem: 'is longer than 4000 characters' }]);
      }
    }
    expect(s.requests).toHaveLength(cases.length);
  });

  it('names an error without a JSON body by its status', async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'req_html' });
        res.end('<html>Bad gateway</html>');
      },
      { maxRetries: 0 },
    );
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.code).toBe('http_502');
    expect(err.requestId).toBe('req_html');
  });

  it('rejects a 200 whose body is not JSON', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"output":');
    });
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err.code).toBe('invalid_response');
  });
});

describe('timeouts and cancellation', () => {
  it('times out a slow answer per attempt, retries, then throws TimeoutError', async () => {
    const { client, s } = await setup(
      async (_req, res) => {
        await sleep(1000);
        sendJson(res, 200, executeResult());
      },
      { timeoutMs: 100, maxRetries: 1 },
    );
    const t0 = performance.now();
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.code).toBe('timeout');
    expect(s.requests).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(200);
    expect(took).toBeLessThan(900);
  });

  it('times out a body that stalls after the headers', async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"output":');
      },
      { timeoutMs: 100, maxRetries: 0 },
    );
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('a per-call timeoutMs overrides the client default', async () => {
    const { client } = await setup(
      async (_req, res) => {
        await sleep(300);
        sendJson(res, 200, executeResult());
      },
      { timeoutMs: 50, maxRetries: 0 },
    );
    const r = await client.execute({ promptId: 'analyze', variables: {}, timeoutMs: 2000 });
    expect(r.output).toBe('Hello there');
  });

  it('the caller\u2019s signal aborts the request (AbortError, no retry) and the server sees the disconnect', async () => {
    const { client, s } = await setup(async (_req, res) => {
      await sleep(2000);
      sendJson(res, 200, executeResult());
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {}, signal: ac.signal }));
    expect(err).toBeInstanceOf(AbortError);
    expect(err.name).toBe('AbortError');
    await s.clientClosed(0);
    expect(s.requests).toHaveLength(1);
  });

  it('the caller\u2019s signal also ends the wait between retries', async () => {
    const { client, s } = await setup((_req, res) =>
      sendError(res, 503, 'unavailable', 'busy', { headers: { 'retry-after': '30' } }),
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {}, signal: ac.signal }));
    expect(err).toBeInstanceOf(AbortError);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const { client, s } = await setup((_req, res) => sendJson(res, 200, executeResult()));
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {}, signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(AbortError);
    expect(s.requests).toHaveLength(0);
  });
});

describe('the API key never leaks', () => {
  it('is absent from errors even when the server echoes it, and from an inspected client', async () => {
    const { client } = await setup(
      (req, res) =>
        sendError(res, 401, 'invalid_api_key', `bad key ${req.headers['authorization']} and pct_abc.def.ghi`, {
          details: [{ field: 'x', problem: `saw ${KEY}` }],
        }),
      { maxRetries: 0 },
    );
    const err = await rejection(client.execute({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(AuthenticationError);
    const rendered = [err.message, String(err), err.stack, inspect(err, { depth: 10 }), JSON.stringify(err)].join('\n');
    expect(rendered).not.toContain(KEY);
    expect(rendered).not.toContain(KEY.slice(9, 30));
    expect(rendered).not.toContain('abc.def.ghi');
    expect(err.message).toContain('[redacted]');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY.slice(9, 30));
    expect(JSON.stringify(client)).not.toContain(KEY.slice(9, 30));
  });

  it('is absent from connection, timeout and abort errors', async () => {
    const { client } = await setup(async (_req, res) => {
      await sleep(500);
      resetConnection(res);
    });
    const errs = [
      await rejection(client.execute({ promptId: 'analyze', variables: {}, timeoutMs: 20, maxRetries: 0 })),
      await rejection(client.execute({ promptId: 'analyze', variables: {}, maxRetries: 0 })),
      await rejection(client.execute({ promptId: 'analyze', variables: {}, signal: AbortSignal.timeout(20) })),
    ];
    for (const err of errs) {
      expect(inspect(err, { depth: 10 })).not.toContain(KEY.slice(9, 30));
    }
  });
});
