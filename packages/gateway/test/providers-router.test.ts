import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMockProvider, MockProvider, mockReplyText } from '../src/providers/mock.ts';
import { type MockUpstream, startMockUpstream } from '../src/providers/mock-server.ts';
import { OpenAIProvider } from '../src/providers/openai.ts';
import {
  type AttemptRecord,
  createRouter,
  type RouterOptions,
  type RouteTarget,
  routesFromProviders,
  UnknownModelError,
} from '../src/providers/router.ts';
import type { ChatChunk, ChatRequest, Provider } from '../src/providers/types.ts';
import { ProviderError } from '../src/providers/types.ts';

const KEY = 'sk-router-test-key';
const live = () => ({ signal: new AbortController().signal });
// Retries in tests should not wait for real backoff unless a test is about waiting.
const FAST: RouterOptions = { backoffBaseMs: 1, backoffMaxMs: 5 };

function req(text: string, model = 'chat'): ChatRequest {
  return { model, messages: [{ role: 'user', content: text }] };
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

function table(routes: Record<string, RouteTarget[]>, ...providers: Provider[]) {
  return { routes, providers: new Map(providers.map((p) => [p.name, p])) };
}

let upstream: MockUpstream;
let primary: OpenAIProvider;
let backup: OpenAIProvider;

beforeAll(async () => {
  upstream = await startMockUpstream({ port: 0, apiKey: KEY });
  primary = new OpenAIProvider({ name: 'primary', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: KEY });
  backup = new OpenAIProvider({ name: 'backup', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: KEY });
});

afterAll(async () => {
  await primary?.close();
  await backup?.close();
  await upstream?.close();
});

async function quiet() {
  await vi.waitFor(() => expect(upstream.stats().inFlight).toBe(0), { timeout: 10_000 });
  return upstream.stats();
}

describe('route resolution', () => {
  const mock = createMockProvider('mock');
  const router = createRouter(
    table(
      { chat: [{ provider: 'mock', model: 'mock-1' }], constructorish: [], other: [{ provider: 'x', model: 'y' }] },
      mock,
    ),
  );

  it('resolves public names, lists them, and accepts provider/model for configured providers', () => {
    expect(router.resolve('chat')).toEqual([{ provider: 'mock', model: 'mock-1' }]);
    expect(router.models()).toEqual(['chat', 'other']);
    expect(router.resolve('mock/some/model')).toEqual([{ provider: 'mock', model: 'some/model' }]);
    expect(router.hasModel('mock/anything')).toBe(true);
    expect(router.hasModel('nope/anything')).toBe(false);
    expect(() => router.resolve('constructor')).toThrow(UnknownModelError);
    expect(() => router.resolve('missing')).toThrow(UnknownModelError);
    expect(() => router.resolve('mock/')).toThrow(UnknownModelError);
  });

  it('can refuse explicit targets', () => {
    const strict = createRouter(table({}, mock), { allowExplicitTargets: false });
    expect(strict.hasModel('mock/mock-1')).toBe(false);
  });

  it('builds routes from provider model lists, providers listing the same model becoming fallbacks', () => {
    expect(
      routesFromProviders([
        { name: 'a', models: ['m1', 'm2'] },
        { name: 'b', models: ['m2'] },
      ]),
    ).toEqual({
      m1: [{ provider: 'a', model: 'm1' }],
      m2: [
        { provider: 'a', model: 'm2' },
        { provider: 'b', model: 'm2' },
      ],
    });
  });

  it('throws UnknownModelError from chat for an unknown model, before calling anything', async () => {
    await expect(router.chat(req('x', 'missing'), live())).rejects.toBeInstanceOf(UnknownModelError);
  });

  it('sends the target model upstream and reports who served', async () => {
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'gpt-x' }] }, primary));
    const res = await r.chat(req('who served'), live());
    expect(res).toMatchObject({ provider: 'primary', model: 'gpt-x', attempts: 1 });
    expect(res.response.content).toBe(mockReplyText('who served'));
    expect((upstream.lastRequest()!.body as { model: string }).model).toBe('gpt-x');
  });
});

describe('retries and fallback (HTTP upstream)', () => {
  it('retries a 500 and then succeeds on the same target', async () => {
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'm' }] }, primary), FAST);
    const log: AttemptRecord[] = [];
    const before = upstream.stats().requests;
    const res = await r.chat(req('flaky [[mock:fail=500,times=2]]'), {
      ...live(),
      onAttempt: (a) => log.push(a),
    });
    expect(res.attempts).toBe(3);
    expect(res.provider).toBe('primary');
    expect(res.response.content).toBe(mockReplyText('flaky'));
    expect(log.map((a) => [a.ok, a.errorKind, a.status])).toEqual([
      [false, 'upstream_error', 500],
      [false, 'upstream_error', 500],
      [true, undefined, undefined],
    ]);
    expect(upstream.stats().requests - before).toBe(3);
  });

  it('waits for Retry-After on a 429 before retrying', async () => {
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'm' }] }, primary), {
      ...FAST,
      random: () => 0,
    });
    const started = performance.now();
    const res = await r.chat(req('limited [[mock:fail=429,times=1,retry_after=1]]'), live());
    const elapsed = performance.now() - started;
    expect(res.attempts).toBe(2);
    expect(res.attemptLog[0]).toMatchObject({ ok: false, errorKind: 'rate_limited' });
    // Backoff alone would be ~0ms (random() = 0); only honouring Retry-After explains a ~1s wait.
    expect(elapsed).toBeGreaterThanOrEqual(900);
  });

  it('does not sleep through a Retry-After beyond the cap: it falls back at once, or surfaces the 429', async () => {
    const capped = { ...FAST, maxRetryAfterMs: 2_000 };
    const alone = createRouter(table({ chat: [{ provider: 'primary', model: 'm' }] }, primary), capped);
    const err = await failure(alone.chat(req('long wait [[mock:fail=429,retry_after=600]]'), live()));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 600_000 });

    const withBackup = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      capped,
    );
    const res = await withBackup.chat(req('long wait [[mock:fail=429,retry_after=600,model=a]]'), live());
    expect(res).toMatchObject({ provider: 'backup', model: 'b', attempts: 2 });
  });

  it('falls back to the second target once the first has used its retries', async () => {
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      { ...FAST, maxRetries: 1 },
    );
    const res = await r.chat(req('primary is down [[mock:fail=500,model=a]]'), live());
    expect(res).toMatchObject({ provider: 'backup', model: 'b', attempts: 3 });
    expect(res.attemptLog.map((a) => `${a.provider}:${a.ok}`)).toEqual([
      'primary:false',
      'primary:false',
      'backup:true',
    ]);
  });

  it('falls back without retrying on auth failure, and does not fall back on bad_request', async () => {
    const wrongKey = new OpenAIProvider({
      name: 'wrong',
      kind: 'openai',
      baseUrl: `${upstream.url}/v1`,
      apiKey: 'nope',
    });
    try {
      const r = createRouter(
        table(
          {
            chat: [
              { provider: 'wrong', model: 'a' },
              { provider: 'backup', model: 'b' },
            ],
          },
          wrongKey,
          backup,
        ),
        FAST,
      );
      const res = await r.chat(req('auth fallback'), live());
      expect(res).toMatchObject({ provider: 'backup', attempts: 2 });
      expect(res.attemptLog[0]).toMatchObject({ errorKind: 'auth', status: 401 });

      const r2 = createRouter(
        table(
          {
            chat: [
              { provider: 'primary', model: 'a' },
              { provider: 'backup', model: 'b' },
            ],
          },
          primary,
          backup,
        ),
        FAST,
      );
      const log: AttemptRecord[] = [];
      const e400 = await failure(r2.chat(req('bad [[mock:fail=400]]'), { ...live(), onAttempt: (a) => log.push(a) }));
      expect(e400.kind).toBe('bad_request');
      expect(log).toHaveLength(1); // a bad request is neither retried nor sent elsewhere
    } finally {
      await wrongKey.close();
    }
  });

  it('skips a target whose provider is not configured', async () => {
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'ghost', model: 'a' },
            { provider: 'primary', model: 'b' },
          ],
        },
        primary,
      ),
      FAST,
    );
    const res = await r.chat(req('ghost route'), live());
    expect(res).toMatchObject({ provider: 'primary', attempts: 2 });
  });

  it('times out an attempt, closes that upstream request, and falls back', async () => {
    const before = await quiet();
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      { ...FAST, timeoutMs: 1_000, maxRetries: 0 },
    );
    const res = await r.chat(req('slow primary [[mock:fail=timeout,model=a]]'), live());
    expect(res).toMatchObject({ provider: 'backup', attempts: 2 });
    expect(res.attemptLog[0]).toMatchObject({ provider: 'primary', ok: false, errorKind: 'timeout' });
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });

  it('uses the provider timeout and retry settings over the router defaults', async () => {
    const slow = createMockProvider('slow', { timeoutMs: 100, maxRetries: 0 });
    const r = createRouter(table({ chat: [{ provider: 'slow', model: 'm' }] }, slow), {
      timeoutMs: 60_000,
      maxRetries: 5,
    });
    const err = await failure(r.chat(req('x [[mock:fail=timeout]]'), live()));
    expect(err.kind).toBe('timeout');
    expect(slow.stats.calls).toBe(1);
  });

  it('cancels the upstream request at once when the client goes away, and stops retrying', async () => {
    const before = await quiet();
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      FAST,
    );
    const ac = new AbortController();
    const log: AttemptRecord[] = [];
    const pending = r.chat(req('hang [[mock:fail=timeout]]'), { signal: ac.signal, onAttempt: (a) => log.push(a) });
    await vi.waitFor(() => expect(upstream.stats().inFlight).toBe(1), { timeout: 10_000 });
    ac.abort();
    const err = await failure(pending);
    expect(err.kind).toBe('cancelled');
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
    expect(upstream.stats().requests).toBe(before.requests + 1);
    expect(log).toHaveLength(1);
  });

  it('stops during a backoff sleep when the client goes away', async () => {
    const mock = createMockProvider('m');
    const r = createRouter(table({ chat: [{ provider: 'm', model: 'x' }] }, mock), {
      backoffBaseMs: 60_000,
      backoffMaxMs: 60_000,
      random: () => 1,
    });
    const ac = new AbortController();
    const pending = r.chat(req('x [[mock:fail=500]]'), { signal: ac.signal });
    await vi.waitFor(() => expect(mock.stats.calls).toBe(1));
    ac.abort();
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(mock.stats.calls).toBe(1);
  });

  it('refuses at once when the client signal is already aborted', async () => {
    const mock = createMockProvider('m');
    const r = createRouter(table({ chat: [{ provider: 'm', model: 'x' }] }, mock));
    expect((await failure(r.chat(req('x'), { signal: AbortSignal.abort() }))).kind).toBe('cancelled');
    expect(mock.stats.calls).toBe(0);
  });
});

describe('streams through the router', () => {
  it('retries before the first chunk, then streams from the serving target', async () => {
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'a' }] }, primary), FAST);
    const s = await r.chatStream(req('stream retry [[mock:fail=500,times=1]]'), live());
    expect(s).toMatchObject({ provider: 'primary', model: 'a', attempts: 2 });
    const chunks = await collect(s.chunks);
    expect(chunks.map((c) => c.delta).join('')).toBe(mockReplyText('stream retry'));
    expect(chunks.at(-1)?.finishReason).toBe('stop');
  });

  it('falls back before the first chunk', async () => {
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      { ...FAST, maxRetries: 0 },
    );
    const s = await r.chatStream(req('stream fallback [[mock:fail=500,model=a]]'), live());
    expect(s).toMatchObject({ provider: 'backup', attempts: 2 });
    expect((await collect(s.chunks)).length).toBeGreaterThan(1);
  });

  it('rejects the stream call itself when every attempt failed before any chunk', async () => {
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'a' }] }, primary), { ...FAST, maxRetries: 1 });
    const err = await failure(r.chatStream(req('never [[mock:fail=502]]'), live()));
    expect(err).toMatchObject({ kind: 'upstream_error', status: 502 });
  });

  it('does not retry or fall back once a chunk was yielded', async () => {
    const before = await quiet();
    const r = createRouter(
      table(
        {
          chat: [
            { provider: 'primary', model: 'a' },
            { provider: 'backup', model: 'b' },
          ],
        },
        primary,
        backup,
      ),
      FAST,
    );
    const s = await r.chatStream(req('one two three four five six [[mock:fail=drop,after=2]]'), live());
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of s.chunks) got.push(c.delta);
      })(),
    );
    expect(err.kind).toBe('connection');
    expect(got).toHaveLength(2);
    expect(s.attempts).toBe(1);
    expect(upstream.stats().requests).toBe(before.requests + 1);
  });

  it('applies the timeout to gaps between chunks after the first', async () => {
    const mock = createMockProvider('m');
    const r = createRouter(table({ chat: [{ provider: 'm', model: 'x' }] }, mock), { ...FAST, timeoutMs: 500 });
    const s = await r.chatStream(req('a b c d [[mock:chunk_delay=60000]]'), live());
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of s.chunks) got.push(c.delta);
      })(),
    );
    expect(err.kind).toBe('timeout');
    expect(got).toHaveLength(1);
    expect(mock.stats).toMatchObject({ calls: 1, inFlight: 0 });
  });

  it('a client abort mid-stream stops the in-process mock', async () => {
    const mock = new MockProvider({ name: 'm', settings: { chunkDelayMs: 60_000 } });
    const r = createRouter(table({ chat: [{ provider: 'm', model: 'x' }] }, mock));
    const ac = new AbortController();
    const s = await r.chatStream(req('a b c d e'), { signal: ac.signal });
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of s.chunks) {
          got.push(c.delta);
          ac.abort();
        }
      })(),
    );
    expect(err.kind).toBe('cancelled');
    expect(got).toHaveLength(1);
    expect(mock.stats).toMatchObject({ inFlight: 0, cancelled: 1 });
  });

  it('cancel() before consuming closes the upstream stream', async () => {
    const before = await quiet();
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'a' }] }, primary));
    const s = await r.chatStream(req('a b c d e f [[mock:chunk_delay=60000]]'), live());
    await s.cancel();
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });

  it('breaking out of the chunks closes the upstream stream', async () => {
    const before = await quiet();
    const r = createRouter(table({ chat: [{ provider: 'primary', model: 'a' }] }, primary));
    const s = await r.chatStream(req('a b c d e f [[mock:chunk_delay=60000]]'), live());
    for await (const _ of s.chunks) break;
    await vi.waitFor(
      () => expect(upstream.stats()).toMatchObject({ closedEarly: before.closedEarly + 1, inFlight: 0 }),
      { timeout: 10_000 },
    );
  });
});

describe('jittered backoff', () => {
  it('sleeps a random share of an exponentially growing window', async () => {
    const mock = createMockProvider('m');
    const r = createRouter(table({ chat: [{ provider: 'm', model: 'x' }] }, mock), {
      backoffBaseMs: 100,
      backoffMaxMs: 150,
      maxRetries: 2,
      random: () => 0.5,
    });
    const started = performance.now();
    const err = await failure(r.chat(req('x [[mock:fail=500]]'), live()));
    expect(err.kind).toBe('upstream_error');
    expect(mock.stats.calls).toBe(3);
    // 0.5 × min(150, 100) + 0.5 × min(150, 200) = 50 + 75 ms at least.
    expect(performance.now() - started).toBeGreaterThanOrEqual(120);
  });
});
