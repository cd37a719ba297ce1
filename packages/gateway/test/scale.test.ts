import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.ts';
import { type CoreServices, openCore } from '../src/services.ts';
import { dropPgSchemas, dropRedisKeys, freshPgUrl, freshRedisPrefix, REDIS_URL } from './helpers/limits-env.ts';
import { type Replica, runCli, startReplica, writeConfig } from './helpers/replicas.ts';

// Scaled-out mode for real: three gateway processes started with the CLI on different ports, one PostgreSQL schema,
// one Redis. Requests go to all three at once.

const LIMIT = 30;
// One tenant budget for the whole file: the rate-limit test (30 calls of ~51 micro-dollars, ~119 reserved each)
// fits, and the budget test at the end runs out of it.
const BUDGET_USD = 0.004;
const dir = mkdtempSync(join(tmpdir(), 'pcx-scale-'));
const prefix = freshRedisPrefix('scale');
let configFile: string;
let core: CoreServices;
const replicas: Replica[] = [];

beforeAll(async () => {
  configFile = writeConfig(dir, {
    storage: { url: freshPgUrl('scale') },
    secrets: { masterKey: randomBytes(32).toString('base64') },
    redis: { url: REDIS_URL, keyPrefix: prefix },
    log: { level: 'warn' },
    requestLog: { flushIntervalMs: 20 },
    limits: {
      rules: [{ scope: 'key', requests: LIMIT, per: '1m' }],
      budgets: [{ scope: 'tenant', usd: BUDGET_USD, period: 'day' }],
    },
  });
  // Replicas starting together: migrations run once (advisory lock), one of them creates the bootstrap key.
  replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(configFile)))));
  core = await openCore(loadConfig({ file: configFile, env: {} }).config);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(replicas.map((r) => r.stop()));
  await core?.close();
  await dropPgSchemas();
  await dropRedisKeys(prefix);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function chat(url: string, key: string) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'mock-1',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'Please say hello to the whole team from me.' }],
    }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
}

describe('three replicas on PostgreSQL and Redis', () => {
  it('exactly one replica created the bootstrap admin key', () => {
    expect(replicas.filter((r) => r.stderr().includes('shown only this once'))).toHaveLength(1);
  });

  it('share one rate limit: allowed requests never exceed the limit across replicas', async () => {
    const { secret } = await core.keys.create({ name: 'shared-limit' });
    const statuses = await Promise.all(
      Array.from({ length: LIMIT * 3 }, (_, i) => chat(replicas[i % 3]!.url, secret).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT * 2);
  });

  it('a key revoked with the CLI is refused by every replica within one second', async () => {
    const { key, secret } = await core.keys.create({ name: 'to-revoke' });
    // Every replica has the key cached as valid.
    for (const r of replicas) expect((await chat(r.url, secret)).status).toBe(200);
    const cli = await runCli(['--config', configFile, 'keys', 'revoke', key.id]);
    expect(cli.code).toBe(0);
    const revokedAt = performance.now();
    const refusedAfter = await Promise.all(
      replicas.map(async (r) => {
        for (;;) {
          const res = await chat(r.url, secret);
          if (res.status === 401) return performance.now() - revokedAt;
          if (performance.now() - revokedAt > 3000) return Number.POSITIVE_INFINITY;
          await new Promise((ok) => setTimeout(ok, 20));
        }
      }),
    );
    expect(Math.max(...refusedAfter)).toBeLessThan(1000);
  });

  it('share one budget: parallel requests on all replicas cannot overspend it', async () => {
    const keys = await Promise.all([0, 1, 2].map(() => core.keys.create({ name: 'budget' })));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => chat(replicas[i % 3]!.url, keys[i % 3]!.secret)),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 402).length).toBeGreaterThan(0);
    const used = ok.map((r) => r.body.usage as { prompt_tokens: number; completion_tokens: number });
    const maxOne = Math.max(...used.map((u) => (u.prompt_tokens + 2 * 20) / 1e6));
    // Everything this tenant spent today, across the three replicas and every test in this file.
    await new Promise((r) => setTimeout(r, 300)); // request logs are flushed every 20 ms
    const report = await runCli(['--config', configFile, 'usage', '--json']);
    expect(report.code).toBe(0);
    const totals = (JSON.parse(report.stdout) as { totals: { costUsd: number } }).totals;
    expect(totals.costUsd).toBeGreaterThan(BUDGET_USD / 2);
    expect(totals.costUsd).toBeLessThanOrEqual(BUDGET_USD + maxOne);
  });
});
