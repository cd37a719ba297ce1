import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { flushed, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { dropPgSchemas, dropRedisKeys, freshPgUrl, freshRedisPrefix, REDIS_URL } from './helpers/limits-env.ts';

// Budgets under concurrency and streaming, on each ledger: the database (SQLite, PostgreSQL) and Redis.

const PROMPT =
  'Please write a short friendly note thanking the team for finishing the garden project on time, and mention ' +
  'that lunch on Friday is at noon in the main hall near the library.';
const PROMPT_TOKENS = Math.ceil(PROMPT.length / 4); // the mock counts chars / 4
const MAX_TOKENS = 30;
// The mock is priced 1 $/MTok in, 2 $/MTok out: one request costs at most PROMPT_TOKENS + 2 * 30 micro-dollars.
const MAX_ONE_USD = (PROMPT_TOKENS * 1 + MAX_TOKENS * 2) / 1e6;
const BUDGET_USD = 0.001; // room for about ten requests

const backends: Array<{ name: string; overrides: () => Record<string, unknown>; prefix?: string }> = [
  { name: 'sqlite ledger', overrides: () => ({}) },
  { name: 'postgres ledger', overrides: () => ({ 'storage.url': freshPgUrl('budget') }) },
  {
    name: 'redis ledger',
    overrides: () => ({ 'redis.url': REDIS_URL, 'redis.keyPrefix': freshRedisPrefix('budget') }),
  },
];

let t: TestGateway | undefined;
const prefixes: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(async () => {
  await dropPgSchemas();
  for (const p of prefixes) await dropRedisKeys(p);
});

function chat(url: string, key: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'mock-1',
      max_tokens: MAX_TOKENS,
      messages: [{ role: 'user', content: PROMPT }],
      ...extra,
    }),
    ...(signal ? { signal } : {}),
  });
}

async function budgets(t: TestGateway, keyId: string) {
  const res = await fetch(`${t.url}/v1/admin/budgets?key=${keyId}`, {
    headers: { authorization: `Bearer ${t.adminKey}` },
  });
  return (
    (await res.json()) as { data: Array<{ scope: string; spentUsd: number; reservedUsd: number; limitUsd: number }> }
  ).data;
}

describe.each(backends)('budgets ($name)', (backend) => {
  async function start(extra: Record<string, unknown> = {}) {
    const o = backend.overrides();
    if (typeof o['redis.keyPrefix'] === 'string') prefixes.push(o['redis.keyPrefix']);
    t = await startTestGateway({
      ...o,
      'limits.budgets': [{ scope: 'key', usd: BUDGET_USD, period: 'day', alertAtPercent: 50 }],
      ...extra,
    });
    const { key, secret } = await t.gw.core.keys.create({ name: 'budgeted' });
    return { keyId: key.id, secret };
  }

  it('50 parallel requests cannot overspend a budget that allows about ten', async () => {
    const { keyId, secret } = await start();
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await chat(t!.url, secret);
        const body = (await res.json()) as {
          usage?: { prompt_tokens: number; completion_tokens: number };
          error?: { code: string; type: string };
        };
        return { status: res.status, body };
      }),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 402);
    expect(ok.length + refused.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]!.body.error).toMatchObject({ code: 'budget_exceeded', type: 'billing_error' });
    // What the answers say they cost, at the mock's price.
    const settled = ok.reduce(
      (s, r) => s + (r.body.usage!.prompt_tokens + 2 * r.body.usage!.completion_tokens) / 1e6,
      0,
    );
    expect(settled).toBeLessThanOrEqual(BUDGET_USD + MAX_ONE_USD);
    const [b] = await budgets(t!, keyId);
    expect(b!.spentUsd).toBeCloseTo(settled, 9);
    expect(b!.spentUsd).toBeLessThanOrEqual(BUDGET_USD);
    expect(b!.reservedUsd).toBe(0);
    // The recorded costs add up to the same figure.
    await flushed(t!);
    const report = (await (
      await fetch(`${t!.url}/v1/admin/usage?by=key`, { headers: { authorization: `Bearer ${t!.adminKey}` } })
    ).json()) as { data: Array<{ group: string; costUsd: number; requests: number }> };
    const mine = report.data.filter((r) => r.group === keyId);
    expect(mine.reduce((s, r) => s + r.costUsd, 0)).toBeCloseTo(settled, 9);
    // The soft threshold raised one alert.
    expect(t!.logs.filter((l) => l.includes('budget alert: threshold crossed'))).toHaveLength(1);
    // …and the alert is in the tenant's audit chain.
    await new Promise((r) => setTimeout(r, 50));
    const events = await t!.gw.core.audit.search('default', { action: 'budget.*' } as never);
    const thresholds = events.data.filter((e) => e.action === 'budget.threshold');
    expect(thresholds).toHaveLength(1);
    expect(thresholds[0]!.target).toBe(`key:${keyId}`);
  });

  it('streamed and cancelled answers settle: nothing stays reserved, what was used is booked', async () => {
    const { keyId, secret } = await start({ 'mock.settings': { chunkDelayMs: 15 } });
    // Completed streams.
    for (let i = 0; i < 2; i++) expect(await (await chat(t!.url, secret, { stream: true })).text()).toContain('[DONE]');
    const afterComplete = (await budgets(t!, keyId))[0]!;
    expect(afterComplete.spentUsd).toBeGreaterThan(0);
    expect(afterComplete.reservedUsd).toBe(0);
    // Cancelled streams: the client goes away after the first bytes.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const ac = new AbortController();
        const res = await chat(t!.url, secret, { stream: true }, ac.signal);
        const reader = res.body!.getReader();
        await reader.read();
        ac.abort();
        await reader.read().catch(() => {});
      }),
    );
    let after = (await budgets(t!, keyId))[0]!;
    for (let i = 0; i < 50 && after.reservedUsd > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = (await budgets(t!, keyId))[0]!;
    }
    expect(after.reservedUsd).toBe(0);
    // Each cancelled stream still paid for its prompt and whatever it produced.
    expect(after.spentUsd).toBeGreaterThanOrEqual(afterComplete.spentUsd + (4 * PROMPT_TOKENS) / 1e6 - 1e-9);
  });
});
