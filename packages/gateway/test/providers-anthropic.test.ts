import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnthropicProvider } from '../src/providers/anthropic.ts';
import { mockReplyText } from '../src/providers/mock.ts';
import { type MockUpstream, startMockUpstream } from '../src/providers/mock-server.ts';
import type { ChatChunk, ChatRequest } from '../src/providers/types.ts';
import { ProviderError } from '../src/providers/types.ts';

const KEY = 'sk-ant-test-0123456789SECRET';
const live = () => ({ signal: new AbortController().signal });

function req(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'claude-test', messages: [{ role: 'user', content: text }], ...extra };
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
let claude: AnthropicProvider;

beforeAll(async () => {
  upstream = await startMockUpstream({ port: 0, apiKey: KEY });
  claude = new AnthropicProvider({ name: 'ant', baseUrl: upstream.url, apiKey: KEY });
});

afterAll(async () => {
  await claude?.close();
  await upstream?.close();
});

describe('anthropic adapter: requests and replies', () => {
  it('sends x-api-key and anthropic-version, system at top level, max_tokens default 1024', async () => {
    const res = await claude.chat(
      {
        model: 'claude-test',
        messages: [
          { role: 'system', content: 'rule one' },
          { role: 'user', content: 'hello anthropic world' },
          { role: 'assistant', content: 'hi' },
          { role: 'system', content: 'rule two' },
          { role: 'user', content: 'again please' },
        ],
        temperature: 0.5,
        stop: ['###'],
        user: 'u-1',
      },
      live(),
    );
    expect(res.content).toBe(mockReplyText('again please'));
    expect(res.finishReason).toBe('stop');
    expect(res.id).toMatch(/^msg_/);
    const seen = upstream.lastRequest()!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe(KEY);
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.body).toEqual({
      model: 'claude-test',
      max_tokens: 1024,
      system: 'rule one\n\nrule two',
      messages: [
        { role: 'user', content: 'hello anthropic world' },
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: 'again please' },
      ],
      temperature: 0.5,
      stop_sequences: ['###'],
      metadata: { user_id: 'u-1' },
    });
    // Input tokens include the system text, as the real API counts it.
    const expectedPrompt = ['rule one\n\nrule two', 'hello anthropic world', 'hi', 'again please']
      .map((t) => Math.ceil(t.length / 4))
      .reduce((a, b) => a + b, 0);
    expect(res.usage.promptTokens).toBe(expectedPrompt);
  });

  it('sends tool results as tool_result blocks', async () => {
    await claude.chat(
      {
        model: 'claude-test',
        messages: [
          { role: 'user', content: 'use the tool' },
          { role: 'tool', content: '42', toolCallId: 'toolu_1' },
        ],
      },
      live(),
    );
    const body = upstream.lastRequest()!.body as { messages: unknown[] };
    expect(body.messages[1]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '42' }],
    });
  });

  it('maps max_tokens to finish reason length and honours an explicit maxTokens', async () => {
    const res = await claude.chat(req('a b c d e f g h i j k', { maxTokens: 2 }), live());
    expect((upstream.lastRequest()!.body as Record<string, unknown>)['max_tokens']).toBe(2);
    expect(res.finishReason).toBe('length');
  });

  it('uses the configured default max tokens', async () => {
    const p = new AnthropicProvider({
      name: 'ant2',
      baseUrl: upstream.url,
      apiKey: KEY,
      settings: { defaultMaxTokens: 99 },
    });
    try {
      await p.chat(req('x'), live());
      expect((upstream.lastRequest()!.body as Record<string, unknown>)['max_tokens']).toBe(99);
    } finally {
      await p.close();
    }
  });

  it('parses the event stream into chunks with finish reason and usage', async () => {
    const whole = await claude.chat(req('stream these words for me'), live());
    const chunks = await collect(claude.chatStream(req('stream these words for me'), live()));
    expect((upstream.lastRequest()!.body as Record<string, unknown>)['stream']).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.delta).join('')).toBe(whole.content);
    expect(chunks.at(-1)).toEqual({ delta: '', finishReason: 'stop', usage: whole.usage });
  });
});

describe('anthropic adapter: errors', () => {
  it('maps 401 to auth without the echoed key', async () => {
    const wrong = new AnthropicProvider({ name: 'bad', baseUrl: upstream.url, apiKey: 'sk-ant-wrong-SECRET-1' });
    try {
      const err = await failure(wrong.chat(req('hi'), live()));
      expect(err).toMatchObject({ kind: 'auth', status: 401 });
      expect(err.message).toContain('authentication_error');
      expect(err.message).not.toContain('sk-ant-wrong');
    } finally {
      await wrong.close();
    }
  });

  it('maps 429 with Retry-After, 529 overloaded and 500 to retryable kinds', async () => {
    const e429 = await failure(claude.chat(req('x [[mock:fail=429,retry_after=4]]'), live()));
    expect(e429).toMatchObject({ kind: 'rate_limited', retryAfterMs: 4000 });
    expect(e429.message).toContain('rate_limit_error');
    expectNoSecret(e429);
    const e529 = await failure(claude.chat(req('x [[mock:fail=529]]'), live()));
    expect(e529).toMatchObject({ kind: 'upstream_error', status: 529 });
    expectNoSecret(e529);
    const e500 = await failure(collect(claude.chatStream(req('x [[mock:fail=500]]'), live())));
    expect(e500).toMatchObject({ kind: 'upstream_error', status: 500 });
    expectNoSecret(e500);
  });

  it('maps a drop mid-stream to connection after the delivered chunks', async () => {
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of claude.chatStream(req('one two three four five [[mock:fail=drop,after=2]]'), live())) {
          got.push(c.delta);
        }
      })(),
    );
    expect(err.kind).toBe('connection');
    expect(got).toHaveLength(2);
  });

  it('on abort: cancelled, and the upstream sees the connection close', async () => {
    const before = await quiet(upstream);
    const ac = new AbortController();
    const pending = collect(claude.chatStream(req('hang [[mock:fail=timeout]]'), { signal: ac.signal }));
    await vi.waitFor(() => expect(upstream.stats().requests).toBe(before.requests + 1), { timeout: 10_000 });
    ac.abort();
    expect((await failure(pending)).kind).toBe('cancelled');
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });

  it('is refused by the upstream without anthropic-version (the mock enforces the real API rule)', async () => {
    const res = await fetch(`${upstream.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(400);
  });
});

describe('mock upstream speaks Anthropic well enough for the official SDK', () => {
  const sdk = () => new Anthropic({ apiKey: KEY, baseURL: upstream.url, maxRetries: 0 });

  it('creates a message', async () => {
    const msg = await sdk().messages.create({
      model: 'mock-1',
      max_tokens: 100,
      system: 'sys',
      messages: [{ role: 'user', content: 'sdk hello' }],
    });
    const block = msg.content[0];
    expect(block?.type === 'text' ? block.text : undefined).toBe(mockReplyText('sdk hello'));
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams a message through the SDK event parser', async () => {
    const stream = sdk().messages.stream({
      model: 'mock-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'sdk stream' }],
    });
    const final = await stream.finalMessage();
    const block = final.content[0];
    expect(block?.type === 'text' ? block.text : undefined).toBe(mockReplyText('sdk stream'));
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe('anthropic adapter: error events in the stream', () => {
  it('maps an overloaded error event mid-stream to upstream_error', async () => {
    const { createServer } = await import('node:http');
    const srv = createServer((rq, res) => {
      rq.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n' +
          'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      );
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as import('node:net').AddressInfo;
    const p = new AnthropicProvider({ name: 'ant-err', baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY });
    try {
      const got: string[] = [];
      const err = await failure(
        (async () => {
          for await (const c of p.chatStream(req('x'), live())) got.push(c.delta);
        })(),
      );
      expect(got).toEqual(['Hi']);
      expect(err.kind).toBe('upstream_error');
      expect(err.message).toContain('overloaded_error');
    } finally {
      await p.close();
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
