import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.ts';
import { type GatewayEvent, LocalEventBus } from '../src/events/index.ts';
import { type CoreServices, openCore } from '../src/services.ts';
import { dropRedisKeys, freshRedisPrefix, REDIS_URL } from './helpers/limits-env.ts';
import { OwnRedis } from './helpers/redis-server.ts';

// Change events between processes: two "replicas" (two sets of core services over one database) share Redis.

const dir = mkdtempSync(join(tmpdir(), 'pcx-events-'));
const prefixes: string[] = [];
const opened: CoreServices[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const p of prefixes) await dropRedisKeys(p);
});

function replicaConfig(db: string, masterKey: string, prefix: string, redisUrl = REDIS_URL) {
  return loadConfig({
    env: {},
    overrides: {
      'storage.url': `sqlite:${join(dir, db)}`,
      'secrets.masterKey': masterKey,
      'redis.url': redisUrl,
      'redis.keyPrefix': prefix,
    },
  }).config;
}

async function replicas(n: number, redisUrl?: string): Promise<CoreServices[]> {
  const db = `${randomBytes(4).toString('hex')}.db`;
  const master = randomBytes(32).toString('base64');
  const prefix = freshRedisPrefix('events');
  prefixes.push(prefix);
  const out: CoreServices[] = [];
  for (let i = 0; i < n; i++) {
    const core = await openCore(replicaConfig(db, master, prefix, redisUrl));
    opened.push(core);
    out.push(core);
  }
  return out;
}

function collect(core: CoreServices): GatewayEvent[] {
  const seen: GatewayEvent[] = [];
  core.events.subscribe((e) => seen.push(e));
  return seen;
}

async function until(cond: () => boolean, ms = 2000): Promise<number> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - start;
}

describe('events over Redis', () => {
  it('a revocation on one replica is refused on another well before the key cache would expire', async () => {
    const [a, b] = await replicas(2);
    await (b!.events as { ready?: () => Promise<boolean> }).ready?.();
    b!.events.subscribe((e) => {
      if (e.type === 'key.revoked') b!.keys.invalidate();
    });
    const seen = collect(b!);
    const { key, secret } = await a!.keys.create({ name: 'app' });
    expect((await b!.keys.authenticate(secret)).ok).toBe(true); // now cached on b for a second
    const t0 = performance.now();
    expect(await a!.keys.revoke(key.id)).toBe(true);
    await until(() => seen.some((e) => e.type === 'key.revoked' && e.id === key.id));
    const res = await b!.keys.authenticate(secret);
    const ms = performance.now() - t0;
    expect(res).toEqual({ ok: false, code: 'revoked_api_key' });
    expect(ms).toBeLessThan(500);
  });

  it('a tenant paused on one replica is seen paused on another at once (tenant.paused)', async () => {
    const [a, b] = await replicas(2);
    await (b!.events as { ready?: () => Promise<boolean> }).ready?.();
    b!.events.subscribe((e) => {
      if (e.type === 'tenant.paused') b!.directory.invalidate();
    });
    await a!.directory.createTenant('acme', 'Acme');
    expect((await b!.directory.tenant('acme'))?.status).toBe('active'); // cached on b
    await a!.directory.setTenantStatus('acme', 'paused');
    const t0 = performance.now();
    let ms = Number.POSITIVE_INFINITY;
    while (performance.now() - t0 < 2000) {
      if ((await b!.directory.tenant('acme'))?.status === 'paused') {
        ms = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(ms).toBeLessThan(500);
  });

  it('announces provider changes, label moves, new versions, settings and rotations; a replica hears its own once', async () => {
    const [a, b] = await replicas(2);
    await (b!.events as { ready?: () => Promise<boolean> }).ready?.();
    const onA = collect(a!);
    const onB = collect(b!);
    await a!.store.providers.upsert({
      id: 'prv_1',
      tenantId: 'default',
      name: 'local',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      apiKeyCiphertext: null,
      models: ['m'],
      settings: {},
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await a!.prompts.push(
      'default',
      { id: 'greet', description: 'd', model: 'mock-1', user: 'Hi {{name}}', variables: { name: { type: 'string' } } },
      'cli:test',
    );
    await a!.prompts.setLabel('default', 'greet', 'production', 1, 'cli:test');
    await a!.store.settings.set('default', 'retention', { logs: '30d' }, 'cli:test', new Date());
    const { key } = await a!.keys.create({ name: 'rotating' });
    await a!.keys.rotate(key.id, 60_000);
    const want = ['provider.changed', 'prompt.label_moved', 'prompt.label_moved', 'config.changed', 'key.revoked'];
    await until(() => onB.length >= want.length);
    expect(onB.map((e) => e.type)).toEqual(want);
    expect(onB[0]).toMatchObject({ tenantId: 'default', id: 'local' });
    await new Promise((r) => setTimeout(r, 50));
    expect(onA.map((e) => e.type)).toEqual(want);
  });

  it('after a reconnect, subscribers are told to resynchronise (events may have been missed)', async () => {
    const own = await OwnRedis.start();
    try {
      const [a] = await replicas(1, own.url);
      let resyncs = 0;
      a!.events.onResync(() => resyncs++);
      a!.events.subscribe(() => {});
      await (a!.events as { ready?: () => Promise<boolean> }).ready?.();
      await own.stop();
      let down = false;
      for (let i = 0; i < 100 && !down; i++) {
        down = await a!.events.check().then(
          () => false,
          () => true,
        );
        if (!down) await new Promise((r) => setTimeout(r, 20));
      }
      expect(down).toBe(true);
      await own.resume();
      await until(() => resyncs === 1, 5000);
      await a!.events.check();
    } finally {
      await own.stop();
    }
  });
});

describe('events in process', () => {
  it('delivers to every subscriber on the next tick and never throws into the publisher', async () => {
    const bus = new LocalEventBus();
    const got: string[] = [];
    bus.subscribe(() => {
      throw new Error('bad handler');
    });
    bus.subscribe((e) => got.push(`${e.type}:${e.id}`));
    await bus.publish({ type: 'tenant.paused', tenantId: 't1', id: 't1' });
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['tenant.paused:t1']);
  });
});
