import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  type ExecuteStreamEvent,
  InvalidRequestError,
  Portcullis,
  PortcullisError,
  RateLimitError,
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

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, opts: Partial<ConstructorParameters<typeof Portcullis>[0]> = {}) {
  server = await startServer(handler);
  const client = new Portcullis({
    apiKey: KEY,
    baseUrl: server.url,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    ...opts,
  });
  return { client, s: server };
}

function openSse(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_s1' });
  res.flushHeaders();
}

const { output: _o, ...DONE } = executeResult({ requestId: 'req_s1' });
const frames = (texts: string[]) =>
  texts.map((t) => `event: delta\ndata: ${JSON.stringify({ text: t })}\n\n`).join('') +
  `event: done\ndata: ${JSON.stringify(DONE)}\n\n`;

async function collect(it: AsyncIterable<ExecuteStreamEvent>): Promise<ExecuteStreamEvent[]> {
  const out: ExecuteStreamEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
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

describe('executeStream', () => {
  it('yields deltas then one done event with the full output; asks for a stream', async () => {
    const { client, s } = await setup((_req, res) => {
      openSse(res);
      res.end(frames(['Hel', 'lo', ' there']));
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: { text: 'x' }, label: 'production' });
    expect(stream.requestId).toBe('req_s1');
    const events = await collect(stream);
    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'delta', text: ' there' },
      { type: 'done', ...DONE, output: 'Hello there', replayed: false },
    ]);
    const req = s.requests[0]!;
    expect(JSON.parse(req.body)).toEqual({ variables: { text: 'x' }, label: 'production', stream: true });
    expect(req.headers['accept']).toBe('text/event-stream');
    expect(req.headers['idempotency-key']).toBeUndefined();
  });

  it('parses frames split at arbitrary points, CRLF line ends, comments and multi-line data', async () => {
    const body =
      ': ping\r\n\r\n' +
      'event: delta\r\ndata: {"text":\r\ndata: "Grüße"}\r\n\r\n' +
      frames([' 👋', '!']).replaceAll('\n', '\r\n');
    const { client } = await setup(async (_req, res) => {
      openSse(res);
      const bytes = Buffer.from(body, 'utf8');
      for (let i = 0; i < bytes.length; i += 3) {
        res.write(bytes.subarray(i, i + 3));
        await sleep(1);
      }
      res.end();
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    expect(await stream.finalText()).toBe('Grüße 👋!');
  });

  it('finalResult returns the done event without its type', async () => {
    const { client } = await setup((_req, res) => {
      openSse(res);
      res.end(frames(['a', 'b']));
    });
    const r = await (await client.executeStream({ promptId: 'analyze', variables: {} })).finalResult();
    expect(r).toEqual({ ...DONE, output: 'ab', replayed: false });
  });

  it('throws the typed error of an error event after some deltas', async () => {
    const { client } = await setup((_req, res) => {
      openSse(res);
      res.write('event: delta\ndata: {"text":"partial"}\n\n');
      res.end(
        'event: error\ndata: {"error":{"code":"content_blocked","message":"The answer leaked a secret"},"requestId":"req_s1"}\n\n',
      );
    });
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const ev of await client.executeStream({ promptId: 'analyze', variables: {} })) {
          if (ev.type === 'delta') seen.push(ev.text);
        }
      })(),
    );
    expect(seen).toEqual(['partial']);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.code).toBe('content_blocked');
    expect(err.status).toBe(400);
    expect(err.message).toBe('The answer leaked a secret');
    expect(err.requestId).toBe('req_s1');
  });

  it('break in for-await cancels the HTTP request', async () => {
    const { client, s } = await setup(async (_req, res) => {
      openSse(res);
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`event: delta\ndata: {"text":"${i} "}\n\n`);
        await sleep(10);
      }
      res.end(`event: done\ndata: ${JSON.stringify(DONE)}\n\n`);
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    let n = 0;
    for await (const ev of stream) {
      if (ev.type === 'delta' && ++n === 2) break;
    }
    await s.clientClosed(0);
    expect(n).toBe(2);
  });

  it('retries a failure before the stream starts (503, then a 429 with Retry-After)', async () => {
    const { client, s } = await setup((_req, res, { n }) => {
      if (n === 0) sendError(res, 503, 'unavailable', 'busy');
      else if (n === 1) sendError(res, 429, 'rate_limited', 'slow', { headers: { 'retry-after': '0.1' } });
      else {
        openSse(res);
        res.end(frames(['ok']));
      }
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    expect(await stream.finalText()).toBe('ok');
    expect(s.requests).toHaveLength(3);
    expect(s.requests[2]!.at - s.requests[1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('rejects before the first event with the HTTP error (no retry on 4xx)', async () => {
    const { client, s } = await setup((_req, res) =>
      sendError(res, 400, 'invalid_variables', 'bad variables', {
        details: [{ field: 'text', problem: 'is required' }],
      }),
    );
    const err = await rejection(client.executeStream({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.details).toEqual([{ field: 'text', problem: 'is required' }]);
    expect(s.requests).toHaveLength(1);
  });

  it('gives up with RateLimitError when 429 persists', async () => {
    const { client, s } = await setup(
      (_req, res) => sendError(res, 429, 'rate_limited', 'slow', { headers: { 'retry-after': '0' } }),
      { maxRetries: 2 },
    );
    const err = await rejection(client.executeStream({ promptId: 'analyze', variables: {} }));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(s.requests).toHaveLength(3);
  });

  it('never retries once the stream started: a reset mid-stream is a ConnectionError', async () => {
    const { client, s } = await setup(async (_req, res) => {
      openSse(res);
      res.write('event: delta\ndata: {"text":"a"}\n\n');
      await sleep(30);
      resetConnection(res);
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    const err = await rejection(stream.finalText());
    expect(err).toBeInstanceOf(ConnectionError);
    expect(s.requests).toHaveLength(1);
  });

  it('a stream that ends without its done event is incomplete', async () => {
    const { client } = await setup((_req, res) => {
      openSse(res);
      res.end('event: delta\ndata: {"text":"a"}\n\n');
    });
    const err = await rejection((await client.executeStream({ promptId: 'analyze', variables: {} })).finalText());
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('incomplete_stream');
  });

  it('times out when the gateway goes silent mid-stream, but not while the caller is busy', async () => {
    const { client } = await setup(
      async (_req, res) => {
        openSse(res);
        res.write('event: delta\ndata: {"text":"a"}\n\n');
        res.write('event: delta\ndata: {"text":"b"}\n\n');
      },
      { timeoutMs: 150 },
    );
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    const err = await rejection(
      (async () => {
        for await (const ev of stream) {
          // Slower than the timeout: the clock only runs while waiting for the gateway.
          if (ev.type === 'delta' && ev.text === 'a') await sleep(300);
        }
      })(),
    );
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('the caller\u2019s signal aborts a running stream', async () => {
    const { client, s } = await setup(async (_req, res) => {
      openSse(res);
      res.write('event: delta\ndata: {"text":"a"}\n\n');
    });
    const ac = new AbortController();
    const stream = await client.executeStream({ promptId: 'analyze', variables: {}, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(collect(stream));
    expect(err.code).toBe('aborted');
    await s.clientClosed(0);
  });

  it('accepts a plain JSON answer to a stream request as one delta and done', async () => {
    const { client } = await setup((_req, res) => sendJson(res, 200, executeResult()));
    const events = await collect(await client.executeStream({ promptId: 'analyze', variables: {} }));
    expect(events.map((e) => e.type)).toEqual(['delta', 'done']);
    expect(events[1]).toMatchObject({ output: 'Hello there', usage: { totalTokens: 15 } });
  });

  it('can be iterated only once, and cancel() closes an unread stream', async () => {
    const { client, s } = await setup((_req, res) => {
      openSse(res);
      res.write('event: delta\ndata: {"text":"a"}\n\n');
    });
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    stream.cancel();
    await s.clientClosed(0);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

describe('executeStream timing', () => {
  it('does not time out while the caller has not started reading yet', async () => {
    const { client } = await setup(
      (_req, res) => {
        openSse(res);
        res.end(frames(['late']));
      },
      { timeoutMs: 100 },
    );
    const stream = await client.executeStream({ promptId: 'analyze', variables: {} });
    await sleep(250);
    expect(await stream.finalText()).toBe('late');
  });
});
