import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCounters } from '../src/limits/backends.ts';
import { limitsConfigSchema } from '../src/limits/config.ts';
import { estimatePromptTokens, Limits, periodOf } from '../src/limits/limits.ts';
import { PriceBook } from '../src/limits/prices.ts';
import { newContext } from '../src/pipeline/context.ts';
import type { ApiKeyRecord } from '../src/store/types.ts';
import { flushed, startTestGateway, type TestGateway } from './helpers/gateway.ts';

// Rate limits, token limits, prices and usage reports in embedded mode (counters in memory, ledger in SQLite).

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function chat(url: string, key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'Hello there' }], ...body }),
  });
}

function messages(url: string, key: string) {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-1', max_tokens: 50, messages: [{ role: 'user', content: 'Hello there' }] }),
  });
}

describe('rate limits', () => {
  it('limits requests per key with RateLimit headers, then 429 rate_limited with Retry-After in both API shapes', async () => {
    t = await startTestGateway({ 'limits.rules': [{ scope: 'key', requests: 3, per: '1m' }] });
    const key = await t.key({ scopes: ['chat', 'messages'] });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await chat(t.url, key);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(res.headers.get('ratelimit-policy')).toBe('3;w=60');
      const reset = Number(res.headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      remaining.push(res.headers.get('ratelimit-remaining')!);
      await res.arrayBuffer();
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await chat(t.url, key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toContain('3 requests per 60 s');

    const anthropic = await messages(t.url, key);
    expect(anthropic.status).toBe(429);
    const ab = (await anthropic.json()) as { type: string; error: { type: string; code: string } };
    expect(ab.type).toBe('error');
    expect(ab.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });

    // Another key has its own counter.
    const other = await t.key();
    expect((await chat(t.url, other)).status).toBe(200);
  });

  it('limits per client address across keys', async () => {
    t = await startTestGateway({
      'limits.rules': [
        { scope: 'key', requests: 100, per: '1m' },
        { scope: 'ip', requests: 6, per: '1m' },
      ],
    });
    const a = await t.key();
    const b = await t.key();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await chat(t.url, i % 2 ? a : b)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a rule with match replaces its scope default for the ids it matches; subjects and prompts are per tenant', async () => {
    const limits = new Limits({
      config: limitsConfigSchema.parse({
        rules: [
          { scope: 'key', requests: 100, per: '1m' },
          { scope: 'key', requests: 1, per: '1m', match: 'key_tight*' },
          { scope: 'subject', requests: 2, per: '1m' },
          { scope: 'prompt', requests: 50, per: '1h', match: 'analyze' },
        ],
      }),
      counters: new MemoryCounters(),
      ledger: undefined,
      prices: new PriceBook({}),
      log: pino({ level: 'silent' }),
    });
    const req = { model: 'mock-1', messages: [{ role: 'user' as const, content: 'hi' }] };
    const ctxFor = (keyId: string, tenantId = 'default', subject?: string) => {
      const ctx = newContext({ id: 'r', route: '/x', method: 'POST', ip: null, signal: new AbortController().signal });
      ctx.key = { id: keyId, tenantId } as ApiKeyRecord;
      ctx.subject = subject;
      return ctx;
    };
    await limits.admit(ctxFor('key_tight_1'), req, []);
    await expect(limits.admit(ctxFor('key_tight_1'), req, [])).rejects.toMatchObject({ code: 'rate_limited' });
    for (let i = 0; i < 5; i++) await limits.admit(ctxFor('key_loose'), req, []);
    // Subject "alice" of tenant a and of tenant b are different people.
    await limits.admit(ctxFor('key_1', 'a', 'alice'), req, []);
    await limits.admit(ctxFor('key_2', 'a', 'alice'), req, []);
    await expect(limits.admit(ctxFor('key_3', 'a', 'alice'), req, [])).rejects.toMatchObject({ code: 'rate_limited' });
    await limits.admit(ctxFor('key_4', 'b', 'alice'), req, []);
  });

  it('limits each end user (subject) across client tokens, and each prompt', async () => {
    t = await startTestGateway({
      'limits.rules': [
        { scope: 'subject', requests: 3, per: '1m' },
        { scope: 'prompt', requests: 5, per: '1m', match: 'greet' },
      ],
    });
    const admin = { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' };
    const pushed = await fetch(`${t.url}/v1/admin/prompts`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        id: 'greet',
        description: 'greeting',
        model: 'mock-1',
        user: 'Say hello to {{name}}',
        variables: { name: { type: 'string', maxLength: 40 } },
      }),
    });
    expect(pushed.status).toBe(201);
    const backend = await t.key({ scopes: ['execute', 'tokens'] });
    const mint = async (subject: string) => {
      const res = await fetch(`${t!.url}/v1/client-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${backend}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompts: ['greet'], subject }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const run = async (token: string) => {
      const res = await fetch(`${t!.url}/v1/prompts/greet/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ variables: { name: 'Ada' } }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { message: string }; cost?: number } };
    };
    // Two tokens for one user share the user's limit.
    const [a1, a2, b] = [await mint('alice'), await mint('alice'), await mint('bob')];
    const alice = [await run(a1), await run(a2), await run(a1), await run(a2)];
    expect(alice.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(alice[3]!.body.error!.message).toContain('for this subject');
    expect(alice[0]!.body.cost).toBeGreaterThan(0);
    // Bob has his own, until the prompt's limit (5 a minute for everyone) is reached.
    expect((await run(b)).status).toBe(200);
    expect((await run(b)).status).toBe(200);
    const sixth = await run(b);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error!.message).toContain('for this prompt');
  });

  it('keeps a concurrent burst within the limit (atomic counters)', async () => {
    t = await startTestGateway({ 'limits.rules': [{ scope: 'key', requests: 10, per: '1m' }] });
    const key = await t.key();
    const all = await Promise.all(Array.from({ length: 40 }, () => chat(t!.url, key).then((r) => r.status)));
    expect(all.filter((s) => s === 200)).toHaveLength(10);
    expect(all.filter((s) => s === 429)).toHaveLength(30);
  });

  it('token limits reserve an estimate before the call and settle the real count after', async () => {
    // Each call reserves estimate = prompt (~3 + 4) + max_tokens 100, and uses ~25 tokens.
    t = await startTestGateway({ 'limits.rules': [{ scope: 'key', tokens: 250, per: '1m' }] });
    const key = await t.key();
    const first = await chat(t.url, key, { max_tokens: 100 });
    expect(first.status).toBe(200);
    const used = ((await first.json()) as { usage: { total_tokens: number } }).usage.total_tokens;
    expect(used).toBeLessThan(100);
    // After settling, what is left is 250 - used (not 250 - the estimate).
    const second = await chat(t.url, key, { max_tokens: 100 });
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(250 - used - (estimate(100) as number));
    await second.arrayBuffer();
    // A request whose estimate alone is over what is left is refused before the call.
    const big = await chat(t.url, key, { max_tokens: 240 });
    expect(big.status).toBe(429);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain('tokens per 60 s');
  });

  it('applies to streamed answers: headers on the stream, usage settled when it ends', async () => {
    t = await startTestGateway({ 'limits.rules': [{ scope: 'key', requests: 2, per: '1m' }] });
    const key = await t.key();
    const res = await chat(t.url, key, { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('ratelimit-remaining')).toBe('1');
    expect(await res.text()).toContain('[DONE]');
    expect((await chat(t.url, key, { stream: true })).status).toBe(200);
    const refused = await chat(t.url, key, { stream: true });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/json');
  });

  it('refuses an invalid rule at start-up, naming it', async () => {
    await expect(
      startTestGateway({ 'limits.rules': [{ scope: 'key', requests: 1, tokens: 5, per: '1m' }] }),
    ).rejects.toThrow(/limits\.rules\.0\.requests.*either requests or tokens/s);
    await expect(
      startTestGateway({ 'limits.rules': [{ scope: 'key', requests: 1, per: '1 minute' }] }),
    ).rejects.toThrow(/limits\.rules\.0\.per/);
  });
});

function estimate(maxTokens: number): number {
  return estimatePromptTokens({ messages: [{ role: 'user', content: 'Hello there' }] }) + maxTokens;
}

describe('costs, prices and usage reports', () => {
  it('records each call’s cost, reports usage by key and model, and takes price edits at run time', async () => {
    t = await startTestGateway({ pricing: { 'mock-1': { inputPerMTok: 10, outputPerMTok: 20 } } });
    const key = await t.key();
    const res = await chat(t.url, key);
    const usage = ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    const expected = (usage.prompt_tokens * 10 + usage.completion_tokens * 20) / 1e6;
    const admin = { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' };

    const put = await fetch(`${t.url}/v1/admin/prices`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ pattern: 'mock-1', inputPerMTok: 100, outputPerMTok: 200 }),
    });
    expect(put.status).toBe(200);
    const prices = (await (await fetch(`${t.url}/v1/admin/prices`, { headers: admin })).json()) as {
      data: Array<{ pattern: string; inputPerMTok: number; source: string }>;
    };
    expect(prices.data.find((p) => p.pattern === 'mock-1')).toMatchObject({ inputPerMTok: 100, source: 'stored' });
    await (await chat(t.url, key)).arrayBuffer();
    await flushed(t);

    const rep = await fetch(`${t.url}/v1/admin/usage?groupBy=hour&by=model`, { headers: admin });
    expect(rep.status).toBe(200);
    const report = (await rep.json()) as {
      data: Array<{ group: string; requests: number; costUsd: number; totalTokens: number }>;
      totals: { costUsd: number; requests: number };
    };
    const row = report.data.find((r) => r.group === 'mock-1')!;
    expect(row.requests).toBe(2);
    expect(row.costUsd).toBeCloseTo(expected * 11, 10);
    expect(report.totals.costUsd).toBeGreaterThanOrEqual(row.costUsd);

    const byKey = (await (await fetch(`${t.url}/v1/admin/usage?by=key`, { headers: admin })).json()) as {
      data: Array<{ group: string | null; requests: number }>;
    };
    expect(byKey.data.some((r) => r.group !== null && r.requests === 2)).toBe(true);

    const del = await fetch(`${t.url}/v1/admin/prices?pattern=mock-1`, {
      method: 'DELETE',
      headers: { authorization: admin.authorization },
    });
    expect(del.status).toBe(200);
    const bad = await fetch(`${t.url}/v1/admin/usage?groupBy=week`, { headers: admin });
    expect(bad.status).toBe(400);
    const forbidden = await fetch(`${t.url}/v1/admin/usage`, { headers: { authorization: `Bearer ${key}` } });
    expect(forbidden.status).toBe(403);
  });

  it('prices: stored entries win over the config, prefixes by length; periods are UTC', () => {
    const book = new PriceBook({ 'gpt-4o*': { inputPerMTok: 5, outputPerMTok: 15 } });
    expect(book.cost('openai', 'gpt-4o-mini', { promptTokens: 1e6, completionTokens: 0 })).toBe(5);
    book.setStored({ 'gpt-4o-mini*': { inputPerMTok: 0.15, outputPerMTok: 0.6 } });
    expect(book.cost('openai', 'gpt-4o-mini', { promptTokens: 1e6, completionTokens: 1e6 })).toBe(0.75);
    book.setStored({});
    expect(book.cost('openai', 'gpt-4o-mini', { promptTokens: 1e6, completionTokens: 0 })).toBe(5);
    const at = Date.UTC(2026, 10, 30, 23, 59);
    expect(periodOf('day', at)).toEqual({ key: '2026-11-30', endsAt: Date.UTC(2026, 11, 1) });
    expect(periodOf('month', at)).toEqual({ key: '2026-11', endsAt: Date.UTC(2026, 11, 1) });
  });
});
