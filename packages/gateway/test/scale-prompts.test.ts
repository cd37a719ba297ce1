// biome-ignore-all lint/suspicious/noExplicitAny: JSON response bodies are checked field by field by the assertions
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { dropPgSchemas, dropRedisKeys, freshPgUrl, freshRedisPrefix, REDIS_URL } from './helpers/limits-env.ts';

// Two replicas on one PostgreSQL and one Redis: an idempotent retry and a client token's rate limit must not care
// which replica a request lands on.

let a: TestGateway;
let b: TestGateway;
const prefix = freshRedisPrefix('prompts');

beforeAll(async () => {
  const shared = {
    'storage.url': freshPgUrl('prompts'),
    'secrets.masterKey': randomBytes(32).toString('base64'),
    'redis.url': REDIS_URL,
    'redis.keyPrefix': prefix,
  };
  a = await startTestGateway(shared);
  b = await startTestGateway({ ...shared, 'bootstrap.adminKey': false }, { expectBootstrapKey: false });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await dropPgSchemas();
  await dropRedisKeys(prefix);
});

async function post(t: TestGateway, path: string, key: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('prompt execution across replicas', () => {
  it('replays an idempotent execute on another replica and refuses the key with another body there', async () => {
    const def = { id: 'shared', model: 'mock-1', user: 'Say: {{text}}', variables: { text: { type: 'string' } } };
    expect((await post(a, '/v1/admin/prompts', a.adminKey, def)).status).toBe(201);
    const key = (await post(a, '/v1/admin/keys', a.adminKey, { name: 'app', scopes: ['execute', 'tokens'] })).body.key;
    const idem = { 'idempotency-key': `k-${randomBytes(4).toString('hex')}` };
    const first = await post(a, '/v1/prompts/shared/execute', key, { variables: { text: 'once' } }, idem);
    expect(first.status).toBe(200);
    const again = await post(b, '/v1/prompts/shared/execute', key, { variables: { text: 'once' } }, idem);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.body.output).toBe(first.body.output);
    const other = await post(b, '/v1/prompts/shared/execute', key, { variables: { text: 'twice' } }, idem);
    expect(other.status).toBe(409);

    // The stored result is sealed: Redis holds no answer text.
    const { Redis } = await import('ioredis');
    const r = new Redis(REDIS_URL);
    try {
      const keys = await r.keys(`${prefix}idem:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(await r.get(k)).not.toContain('once');
    } finally {
      r.disconnect();
    }
  });

  it('counts a client token’s requests on every replica together', async () => {
    const key = (await post(a, '/v1/admin/keys', a.adminKey, { name: 'minter', scopes: ['execute', 'tokens'] })).body
      .key;
    const token = (
      await post(a, '/v1/client-tokens', key, { prompts: ['shared'], rateLimit: { requests: 3, perSeconds: 60 } })
    ).body.token;
    const run = (t: TestGateway) => post(t, '/v1/prompts/shared/execute', token, { variables: { text: 'x' } });
    const statuses = [(await run(a)).status, (await run(b)).status, (await run(a)).status, (await run(b)).status];
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
