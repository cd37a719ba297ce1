import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/providers/mock-server.ts';
import { flushed, PG_URL, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const UPSTREAM_KEY = `sk-upstream-${'Z9'.repeat(16)}`;

let upstream: MockUpstream;
let t: TestGateway;
let key: string;
let openai: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream({ port: 0, apiKey: UPSTREAM_KEY, models: ['up-1'] });
  process.env.PCX_TEST_UPSTREAM_KEY = UPSTREAM_KEY;
  t = await startTestGateway({
    providers: [
      {
        name: 'remote',
        kind: 'openai-compatible',
        baseUrl: `${upstream.url}/v1`,
        apiKeyEnv: 'PCX_TEST_UPSTREAM_KEY',
        models: ['up-1'],
      },
      {
        name: 'claude',
        kind: 'anthropic',
        baseUrl: upstream.url,
        apiKeyEnv: 'PCX_TEST_UPSTREAM_KEY',
        models: ['claude-x'],
      },
      { name: 'broken', kind: 'mock', models: [], settings: { failure: { kind: 500 }, maxRetries: 0 } },
      { name: 'strict', kind: 'mock', models: ['strict-1'], settings: { maxRetries: 0 } },
      { name: 'slow', kind: 'mock', models: ['slow-1'], settings: { timeoutMs: 200, maxRetries: 0 } },
    ],
    // Output screening holds streamed text back in a window; these tests are about the upstream plumbing.
    guard: {
      output: Object.fromEntries(
        ['secrets', 'pii', 'moderation', 'canary', 'promptLeak', 'markup'].map((k) => [k, { action: 'allow' }]),
      ),
    },
    routes: {
      smart: [
        { provider: 'broken', model: 'mock-1' },
        { provider: 'mock', model: 'mock-1' },
      ],
    },
  });
  key = await t.key({ name: 'upstream-tests' });
  openai = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: key, maxRetries: 0 });
});
afterAll(async () => {
  await t.close();
  await upstream.close();
});

const ask = (model: string, content: string) =>
  openai.chat.completions.create({ model, messages: [{ role: 'user', content }] });

describe('upstream providers through the gateway', () => {
  it('calls an openai-compatible upstream with the server-held key, which never reaches the caller or the logs', async () => {
    const res = await ask('up-1', 'hello upstream');
    expect(res.choices[0]?.message.content).toContain('upstream');
    const seen = upstream.lastRequest();
    expect(seen?.path).toBe('/v1/chat/completions');
    expect(seen?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(res)).not.toContain(UPSTREAM_KEY);
    await flushed(t);
    expect(t.logs.join('')).not.toContain(UPSTREAM_KEY);
    expect(t.logs.join('')).not.toContain(key);
  });

  it('calls an anthropic upstream in its own format', async () => {
    const res = await ask('claude-x', 'hello claude');
    expect(res.choices[0]?.message.content).toContain('claude');
    const seen = upstream.lastRequest();
    expect(seen?.path).toBe('/v1/messages');
    expect(seen?.headers['x-api-key']).toBe(UPSTREAM_KEY);
  });

  it('accepts explicit provider/model targets', async () => {
    const res = await ask('remote/up-1', 'explicit target');
    expect(res.choices[0]?.message.content).toContain('explicit');
  });

  it('retries a transient 500 and succeeds', async () => {
    const res = await ask('mock-1', 'retry me [[mock:fail=500,times=1]]').withResponse();
    expect(res.response.status).toBe(200);
    await flushed(t);
    const rows = await t.gw.core.store.requests.query({ limit: 1000 });
    const row = rows.find((r) => r.id === res.response.headers.get('x-request-id'));
    expect(row?.detail).toMatchObject({ attempts: 2 });
  });

  it('falls back to the next target when the first keeps failing', async () => {
    const res = await ask('smart', 'fallback please').withResponse();
    expect(res.data.choices[0]?.message.content).toContain('fallback');
    await flushed(t);
    const rows = await t.gw.core.store.requests.query({ limit: 1000 });
    const row = rows.find((r) => r.id === res.response.headers.get('x-request-id'));
    expect(row?.provider).toBe('mock');
    expect(row?.model).toBe('smart');
  });

  it('maps a persistent upstream 429 to 429 upstream_rate_limited with Retry-After', async () => {
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'strict-1',
        messages: [{ role: 'user', content: 'x [[mock:fail=429,retry_after=2]]' }],
      }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('upstream_rate_limited');
  });

  it('maps an upstream 500 to 502 upstream_error without leaking upstream text', async () => {
    const err = await ask('strict-1', 'x [[mock:fail=500]]').catch((e: unknown) => e);
    expect((err as { status: number }).status).toBe(502);
    expect((err as { code: string }).code).toBe('upstream_error');
  });

  it('times out a silent upstream with 504 upstream_timeout', async () => {
    const err = await ask('slow-1', 'x [[mock:fail=timeout]]').catch((e: unknown) => e);
    expect((err as { status: number }).status).toBe(504);
    expect((err as { code: string }).code).toBe('upstream_timeout');
  });

  it('ends a stream that breaks mid-way with a well-formed error event', async () => {
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'strict-1',
        stream: true,
        messages: [{ role: 'user', content: 'a long enough reply to split [[mock:fail=drop,after=2]]' }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''));
    const last = JSON.parse(events.at(-1)!) as { error?: { code: string } };
    expect(last.error?.code).toBe('upstream_error');
    expect(events.slice(0, -1).every((e) => e !== '[DONE]')).toBe(true);
  });

  it('cancels the upstream call when the client disconnects mid-stream', async () => {
    const before = upstream.stats().closedEarly;
    const aborter = new AbortController();
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      signal: aborter.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'up-1',
        stream: true,
        messages: [{ role: 'user', content: 'slow stream of several words here [[mock:chunk_delay=300]]' }],
      }),
    });
    const id = res.headers.get('x-request-id');
    const reader = res.body!.getReader();
    await reader.read();
    aborter.abort();
    const deadline = Date.now() + 10_000;
    while (upstream.stats().closedEarly === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(upstream.stats().closedEarly).toBeGreaterThan(before);
    let row: Awaited<ReturnType<typeof t.gw.core.store.requests.query>>[number] | undefined;
    while (!row && Date.now() < deadline) {
      await flushed(t);
      row = (await t.gw.core.store.requests.query({ limit: 1000 })).find((r) => r.id === id);
      if (!row) await new Promise((r) => setTimeout(r, 20));
    }
    expect(row).toMatchObject({ status: 499, errorCode: 'client_disconnected', stream: true });
  });
});

describe('lifecycle', () => {
  it('finishes in-flight requests on graceful shutdown, then stops accepting', async () => {
    const g = await startTestGateway();
    const k = await g.key();
    const client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: k, maxRetries: 0 });
    const inflight = client.chat.completions.create({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'take your time [[mock:latency=400]]' }],
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = g.close();
    const res = await inflight;
    expect(res.choices[0]?.message.content).toContain('time');
    await closing;
    await expect(fetch(`${g.url}/healthz`)).rejects.toThrow();
  });

  it('runs against PostgreSQL with the same behaviour', async () => {
    const schema = `pcx_gw_${process.pid}_${Date.now()}`;
    const g = await startTestGateway({ 'storage.url': `${PG_URL}?schema=${schema}` });
    try {
      expect(g.gw.core.store.kind).toBe('postgres');
      const k = await g.key();
      const client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: k, maxRetries: 0 });
      const res = await client.chat.completions.create({
        model: 'mock-1',
        messages: [{ role: 'user', content: 'pg' }],
      });
      expect(res.choices[0]?.message.content).toContain('pg');
      await g.gw.flushRequestLog();
      const rows = await g.gw.core.store.requests.query({ limit: 10 });
      expect(rows.some((r) => r.status === 200 && r.model === 'mock-1')).toBe(true);
    } finally {
      await g.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  });
});
