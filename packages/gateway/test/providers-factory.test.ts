import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../src/providers/anthropic.ts';
import { parseRetryAfter, safeReason } from '../src/providers/errors.ts';
import { createProvider, ProviderConfigError } from '../src/providers/factory.ts';
import { MockProvider } from '../src/providers/mock.ts';
import { startMockUpstream } from '../src/providers/mock-server.ts';
import { OpenAIProvider } from '../src/providers/openai.ts';

describe('createProvider', () => {
  it('builds the adapter for each kind, passing router hints from settings', async () => {
    const mock = createProvider({
      name: 'mock',
      kind: 'mock',
      settings: { latencyMs: 0, timeoutMs: 1234, maxRetries: 1 },
    });
    expect(mock).toBeInstanceOf(MockProvider);
    expect(mock).toMatchObject({ name: 'mock', kind: 'mock', timeoutMs: 1234, maxRetries: 1 });
    const oai = createProvider({ name: 'oai', kind: 'openai', apiKey: 'sk-x', baseUrl: null, settings: {} });
    expect(oai).toBeInstanceOf(OpenAIProvider);
    expect(oai.kind).toBe('openai');
    const local = createProvider({ name: 'ollama', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(local.kind).toBe('openai-compatible');
    const ant = createProvider({ name: 'ant', kind: 'anthropic', apiKey: 'k', settings: { defaultMaxTokens: 2048 } });
    expect(ant).toBeInstanceOf(AnthropicProvider);
    await Promise.all([mock, oai, local, ant].map((p) => p.close()));
  });

  it('refuses missing keys and base URLs, bad URLs and bad settings with a ProviderConfigError', () => {
    const bad = (config: Parameters<typeof createProvider>[0]) => () => createProvider(config);
    expect(bad({ name: 'o', kind: 'openai' })).toThrow(/apiKey is required/);
    expect(bad({ name: 'a', kind: 'anthropic', apiKey: '' })).toThrow(ProviderConfigError);
    expect(bad({ name: 'c', kind: 'openai-compatible' })).toThrow(/baseUrl is required/);
    expect(bad({ name: 'c', kind: 'openai-compatible', baseUrl: 'ftp://x/v1' })).toThrow(/http/);
    expect(bad({ name: 'c', kind: 'openai-compatible', baseUrl: 'not a url' })).toThrow(ProviderConfigError);
    expect(bad({ name: 'c', kind: 'openai-compatible', baseUrl: 'http://u:p@host/v1' })).toThrow(/credentials/);
    expect(bad({ name: 'm', kind: 'mock', settings: { latencyMs: -1 } })).toThrow(/latencyMs/);
    expect(bad({ name: 'm', kind: 'mock', settings: { failure: { kind: 'explode' } } })).toThrow(ProviderConfigError);
    expect(bad({ name: 'm', kind: 'mock', settings: { failure: { kind: 429, rate: 2 } } })).toThrow(/rate/);
    expect(bad({ name: 'o', kind: 'openai', apiKey: 'k', settings: { timeoutMs: '10' } })).toThrow(/timeoutMs/);
    expect(bad({ name: 'o', kind: 'openai', apiKey: 'k', settings: { headers: { x: 'a\r\nb' } } })).toThrow(
      ProviderConfigError,
    );
    expect(bad({ name: 'a/b', kind: 'mock' })).toThrow(/name/);
    expect(bad({ name: 'x', kind: 'nonsense' as 'mock' })).toThrow(/unknown kind/);
  });

  it('never puts the API key in a configuration error', () => {
    const secret = 'sk-live-SECRET-abcdef123456';
    try {
      createProvider({ name: 'o', kind: 'openai', apiKey: secret, baseUrl: 'nope', settings: { timeoutMs: -5 } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProviderConfigError);
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('accepts a failure kind as a number or a numeric string', async () => {
    const p = createProvider({ name: 'm', kind: 'mock', settings: { failure: { kind: '503', times: 1 } } });
    await expect(
      p.chat({ model: 'x', messages: [{ role: 'user', content: 'a' }] }, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({ kind: 'upstream_error', status: 503 });
  });
});

describe('error helpers', () => {
  it('parses Retry-After as seconds, an HTTP date, or retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': '5' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });

  it('keeps only identifier-shaped reasons that cannot be a key', () => {
    expect(safeReason({ error: { code: 'rate_limit_exceeded', type: 'requests' } }, 'k')).toBe('rate_limit_exceeded');
    expect(safeReason({ error: { code: null, type: 'server_error', message: 'sk-abc leaked' } }, 'k')).toBe(
      'server_error',
    );
    expect(safeReason({ type: 'error', error: { type: 'overloaded_error' } }, 'k')).toBe('overloaded_error');
    expect(safeReason({ error: { code: 'sk-proj-abc123' } }, undefined)).toBeUndefined();
    expect(safeReason({ error: { code: 'mysecretkey1' } }, 'mysecretkey1')).toBeUndefined();
    expect(safeReason({ error: { code: 'has spaces and: punctuation' } }, 'k')).toBeUndefined();
    expect(safeReason('plain text body', 'k')).toBeUndefined();
  });
});

describe('mock upstream server', () => {
  it('serves GET /v1/models in OpenAI and Anthropic shapes', async () => {
    const u = await startMockUpstream({ port: 0, models: ['m-a', 'm-b'] });
    try {
      const oai = (await (await fetch(`${u.url}/v1/models`)).json()) as { object: string; data: { id: string }[] };
      expect(oai.object).toBe('list');
      expect(oai.data.map((m) => m.id)).toEqual(['m-a', 'm-b']);
      const ant = (await (
        await fetch(`${u.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })
      ).json()) as {
        data: { type: string; id: string }[];
        has_more: boolean;
      };
      expect(ant.data.map((m) => [m.type, m.id])).toEqual([
        ['model', 'm-a'],
        ['model', 'm-b'],
      ]);
      expect(ant.has_more).toBe(false);
      expect((await fetch(`${u.url}/nope`)).status).toBe(404);
      expect((await fetch(`${u.url}/v1/chat/completions`, { method: 'POST', body: '{bad' })).status).toBe(400);
    } finally {
      await u.close();
    }
  });

  it('sends Retry-After on 429 as real HTTP', async () => {
    const u = await startMockUpstream({ port: 0 });
    try {
      const res = await fetch(`${u.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '[[mock:fail=429,retry_after=3]]' }] }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      await res.arrayBuffer();
    } finally {
      await u.close();
    }
  });

  it('runs as its own process, prints its URL, and exits on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/providers/mock-server-main.ts', import.meta.url));
    const child = spawn(process.execPath, [main, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = line.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'from a process' }] }),
      });
      expect(res.status).toBe(200);
      expect(
        ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
      ).toMatch(/^Mock reply [0-9a-f]{8}: from a process$/);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
