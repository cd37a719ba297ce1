import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mockReplyText } from '../src/providers/mock.ts';
import { type MockUpstream, startMockUpstream } from '../src/providers/mock-server.ts';
import { OpenAIProvider } from '../src/providers/openai.ts';
import type { ChatChunk, ChatRequest } from '../src/providers/types.ts';
import { ProviderError } from '../src/providers/types.ts';

const KEY = 'sk-test-0123456789abcdefSECRET';
const live = () => ({ signal: new AbortController().signal });

function req(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gpt-test', messages: [{ role: 'user', content: text }], ...extra };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError, got success');
}

async function collect(it: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

/** Waits for earlier tests' responses (drops, aborts) to finish closing, so counters start clean. */
async function quiet(u: MockUpstream) {
  await vi.waitFor(() => expect(u.stats().inFlight).toBe(0), { timeout: 10_000 });
  return u.stats();
}

function expectNoSecret(err: Error): void {
  expect(err.message).not.toContain(KEY);
  expect(err.message).not.toContain('SECRET');
  expect(err.message).not.toContain('request credential');
}

let upstream: MockUpstream;
let openai: OpenAIProvider;
let compat: OpenAIProvider;

beforeAll(async () => {
  upstream = await startMockUpstream({ port: 0, apiKey: KEY });
  openai = new OpenAIProvider({ name: 'oai', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: KEY });
  compat = new OpenAIProvider({ name: 'local', kind: 'openai-compatible', baseUrl: `${upstream.url}/v1`, apiKey: KEY });
});

afterAll(async () => {
  await openai?.close();
  await compat?.close();
  await upstream?.close();
});

describe('openai adapter: requests and replies', () => {
  it('sends the bearer key and the translated body, and maps the JSON reply back', async () => {
    const res = await openai.chat(
      {
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'be terse' },
          { role: 'user', content: 'hello openai world', name: 'alice' },
        ],
        maxTokens: 50,
        temperature: 0.2,
        topP: 0.9,
        stop: ['\n\n'],
        user: 'end-user-1',
      },
      live(),
    );
    expect(res.content).toBe(mockReplyText('hello openai world'));
    expect(res.finishReason).toBe('stop');
    expect(res.model).toBe('gpt-test');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.usage.promptTokens).toBe(Math.ceil('be terse'.length / 4) + Math.ceil('hello openai world'.length / 4));
    expect(res.usage.totalTokens).toBe(res.usage.promptTokens + res.usage.completionTokens);

    const seen = upstream.lastRequest()!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'be terse' },
        { role: 'user', content: 'hello openai world', name: 'alice' },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n\n'],
      user: 'end-user-1',
    });
  });

  it('uses max_tokens for openai-compatible servers', async () => {
    await compat.chat(req('compat', { maxTokens: 7 }), live());
    const body = upstream.lastRequest()!.body as Record<string, unknown>;
    expect(body['max_tokens']).toBe(7);
    expect(body['max_completion_tokens']).toBeUndefined();
  });

  it('reports finish reason length', async () => {
    const res = await openai.chat(req('a b c d e f g h i j', { maxTokens: 2 }), live());
    expect(res.finishReason).toBe('length');
    expect(res.content).toHaveLength(8);
  });

  it('streams: asks for usage, yields the reply in chunks, ends with finish reason and usage', async () => {
    const whole = await openai.chat(req('stream this sentence to me'), live());
    const chunks = await collect(openai.chatStream(req('stream this sentence to me'), live()));
    const body = upstream.lastRequest()!.body as Record<string, unknown>;
    expect(body['stream']).toBe(true);
    expect(body['stream_options']).toEqual({ include_usage: true });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.delta).join('')).toBe(whole.content);
    expect(chunks.at(-1)).toEqual({ delta: '', finishReason: 'stop', usage: whole.usage });
  });

  it('streams without usage when the server sends none', async () => {
    const noUsage = new OpenAIProvider({
      name: 'nu',
      kind: 'openai-compatible',
      baseUrl: `${upstream.url}/v1`,
      apiKey: KEY,
      settings: { streamUsage: false },
    });
    try {
      const chunks = await collect(noUsage.chatStream(req('no usage please'), live()));
      expect((upstream.lastRequest()!.body as Record<string, unknown>)['stream_options']).toBeUndefined();
      expect(chunks.at(-1)).toEqual({ delta: '', finishReason: 'stop' });
    } finally {
      await noUsage.close();
    }
  });

  it('sends no Authorization header for a keyless openai-compatible server', async () => {
    const open = await startMockUpstream({ port: 0 });
    const p = new OpenAIProvider({ name: 'ollama', kind: 'openai-compatible', baseUrl: `${open.url}/v1` });
    try {
      await p.chat(req('no key'), live());
      expect(open.lastRequest()!.headers.authorization).toBeUndefined();
    } finally {
      await p.close();
      await open.close();
    }
  });

  it('reuses connections (keep-alive pool)', async () => {
    const before = await quiet(upstream);
    await Promise.all([1, 2, 3].map((i) => openai.chat(req(`keepalive ${i}`), live())));
    for (let i = 0; i < 5; i++) await openai.chat(req(`sequential ${i}`), live());
    const after = upstream.stats();
    expect(after.requests - before.requests).toBe(8);
    // Without keep-alive every request would open its own connection.
    expect(after.connections - before.connections).toBeLessThanOrEqual(3);
  });
});

describe('openai adapter: errors', () => {
  it('maps 401 to auth without repeating the key the upstream echoed', async () => {
    const wrong = new OpenAIProvider({
      name: 'bad',
      kind: 'openai',
      baseUrl: `${upstream.url}/v1`,
      apiKey: 'sk-wrong-key-SECRET-999',
    });
    try {
      const err = await failure(wrong.chat(req('hi'), live()));
      expect(err.kind).toBe('auth');
      expect(err.status).toBe(401);
      expect(err.message).not.toContain('sk-wrong-key');
      expect(err.message).not.toContain('Incorrect API key');
      expect(err.message).toContain('invalid_api_key');
    } finally {
      await wrong.close();
    }
  });

  it('maps 429 to rate_limited with Retry-After in seconds', async () => {
    const err = await failure(openai.chat(req('limit [[mock:fail=429,retry_after=7]]'), live()));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });
    expect(err.message).toContain('rate_limit_exceeded');
    expectNoSecret(err);
  });

  it('prefers retry-after-ms when the upstream sends it', async () => {
    const err = await failure(openai.chat(req('limit [[mock:fail=429,retry_after_ms=1234]]'), live()));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1234 });
    expect(upstream.lastRequest()).toBeDefined();
  });

  it('maps 5xx to upstream_error and other 4xx to bad_request, never quoting the upstream body', async () => {
    const e500 = await failure(openai.chat(req('x [[mock:fail=500]]'), live()));
    expect(e500).toMatchObject({ kind: 'upstream_error', status: 500 });
    expectNoSecret(e500);
    const e400 = await failure(openai.chat(req('x [[mock:fail=400]]'), live()));
    expect(e400).toMatchObject({ kind: 'bad_request', status: 400 });
    expectNoSecret(e400);
    const e403 = await failure(openai.chat(req('x [[mock:fail=403]]'), live()));
    expect(e403.kind).toBe('auth');
    expectNoSecret(e403);
  });

  it('maps errors on the streaming path too', async () => {
    const err = await failure(collect(openai.chatStream(req('x [[mock:fail=429,retry_after=3]]'), live())));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    expectNoSecret(err);
  });

  it('maps a connection dropped before the reply to connection', async () => {
    const err = await failure(openai.chat(req('x [[mock:fail=drop]]'), live()));
    expect(err.kind).toBe('connection');
  });

  it('maps a connection dropped mid-stream to connection, after the chunks that arrived', async () => {
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of openai.chatStream(
          req('one two three four five six [[mock:fail=drop,after=3]]'),
          live(),
        )) {
          got.push(c.delta);
        }
      })(),
    );
    expect(err.kind).toBe('connection');
    expect(got).toHaveLength(3);
  });

  it('maps a refused connection to connection', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const p = new OpenAIProvider({ name: 'gone', kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` });
    try {
      const err = await failure(p.chat(req('x'), live()));
      expect(err.kind).toBe('connection');
      expect(err.retryable).toBe(true);
    } finally {
      await p.close();
    }
  });

  it('on abort: rejects with cancelled and closes the upstream socket', async () => {
    const before = await quiet(upstream);
    const ac = new AbortController();
    const pending = openai.chat(req('hang [[mock:fail=timeout]]'), { signal: ac.signal });
    await vi.waitFor(() => expect(upstream.stats().requests).toBe(before.requests + 1), { timeout: 10_000 });
    ac.abort();
    const err = await failure(pending);
    expect(err.kind).toBe('cancelled');
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });

  it('on a deadline (TimeoutError reason): rejects with timeout', async () => {
    const err = await failure(openai.chat(req('hang [[mock:fail=timeout]]'), { signal: AbortSignal.timeout(100) }));
    expect(err.kind).toBe('timeout');
  });

  it('aborting mid-stream stops the upstream response', async () => {
    const before = await quiet(upstream);
    const ac = new AbortController();
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of openai.chatStream(req('a b c d e f g [[mock:chunk_delay=30000]]'), {
          signal: ac.signal,
        })) {
          got.push(c.delta);
          ac.abort();
        }
      })(),
    );
    expect(err.kind).toBe('cancelled');
    expect(got).toHaveLength(1);
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });

  it('breaking out of a stream early closes the upstream response', async () => {
    const before = await quiet(upstream);
    for await (const _ of openai.chatStream(req('a b c d e f g [[mock:chunk_delay=30000]]'), live())) break;
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });
});

describe('mock upstream speaks OpenAI well enough for the official SDK', () => {
  const sdk = () => new OpenAI({ apiKey: KEY, baseURL: `${upstream.url}/v1`, maxRetries: 0 });

  it('lists models and completes a chat', async () => {
    const client = sdk();
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['mock-1']);
    const res = await client.chat.completions.create({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'sdk hello' }],
    });
    expect(res.choices[0]?.message.content).toBe(mockReplyText('sdk hello'));
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams with include_usage', async () => {
    const stream = await sdk().chat.completions.create({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'sdk stream' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(mockReplyText('sdk stream'));
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it('surfaces the 429 with retry-after to the SDK', async () => {
    const err = await sdk()
      .chat.completions.create({ model: 'mock-1', messages: [{ role: 'user', content: 'x [[mock:fail=429]]' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('1');
  });
});

describe('openai adapter: quirks of compatible servers', () => {
  /** A one-route server that answers every request with the given status, headers and raw body. */
  async function scripted(respond: (res: import('node:http').ServerResponse) => void) {
    const srv = createServer((rq, res) => {
      rq.resume();
      rq.once('end', () => respond(res));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`;
    const provider = new OpenAIProvider({ name: 'quirky', kind: 'openai-compatible', baseUrl: url });
    return {
      provider,
      async close() {
        await provider.close();
        srv.closeAllConnections();
        await new Promise<void>((r) => srv.close(() => r()));
      },
    };
  }
  const sse = { 'content-type': 'text/event-stream' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

  it('accepts a plain JSON answer to a stream request', async () => {
    const s = await scripted((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', choices: [{ message: { content: 'whole reply' }, finish_reason: 'length' }] }));
    });
    try {
      const chunks = await collect(s.provider.chatStream(req('hi'), live()));
      expect(chunks[0]).toEqual({ delta: 'whole reply' });
      // No usage from the server: estimated, so limits still have a number.
      expect(chunks[1]).toMatchObject({ delta: '', finishReason: 'length', usage: { completionTokens: 3 } });
    } finally {
      await s.close();
    }
  });

  it('accepts a stream that ends after finish_reason without [DONE]', async () => {
    const s = await scripted((res) => {
      res.writeHead(200, sse);
      res.end(chunk({ content: 'ok' }) + chunk({}, 'stop'));
    });
    try {
      expect(await collect(s.provider.chatStream(req('hi'), live()))).toEqual([
        { delta: 'ok' },
        { delta: '', finishReason: 'stop' },
      ]);
    } finally {
      await s.close();
    }
  });

  it('treats a stream that just ends as a broken connection', async () => {
    const s = await scripted((res) => {
      res.writeHead(200, sse);
      res.end(chunk({ content: 'partial' }));
    });
    try {
      expect((await failure(collect(s.provider.chatStream(req('hi'), live())))).kind).toBe('connection');
    } finally {
      await s.close();
    }
  });

  it('maps an error object sent mid-stream to upstream_error without its message', async () => {
    const s = await scripted((res) => {
      res.writeHead(200, sse);
      res.end(`${chunk({ content: 'a' })}data: {"error":{"message":"boom sk-leak-123","type":"server_error"}}\n\n`);
    });
    try {
      const err = await failure(collect(s.provider.chatStream(req('hi'), live())));
      expect(err.kind).toBe('upstream_error');
      expect(err.message).toContain('server_error');
      expect(err.message).not.toContain('sk-leak');
    } finally {
      await s.close();
    }
  });

  it('maps invalid JSON in a 200 reply to upstream_error', async () => {
    const s = await scripted((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>proxy error</html>');
    });
    try {
      expect((await failure(s.provider.chat(req('hi'), live()))).kind).toBe('upstream_error');
    } finally {
      await s.close();
    }
  });
});
