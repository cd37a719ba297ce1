// One suite, run against both real backends: behaviour must be identical in embedded and
// scaled-out mode. PostgreSQL tests each get a fresh schema in the shared `test` database.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, openStore } from '../src/store/index.ts';
import { migrations } from '../src/store/migrations.ts';
import type { ApiKeyRecord, ProviderRecord, RequestRecord, Store } from '../src/store/types.ts';

const PG_URL = process.env['PORTCULLIS_TEST_PG_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
const RUN = `pcx_store_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'pcx-store-'));
const pgSchemas: string[] = [];
let seqNo = 0;

function freshSchema(): string {
  const s = `${RUN}_${++seqNo}`;
  pgSchemas.push(s);
  return s;
}

async function pgQuery(schema: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

interface Backend {
  name: 'sqlite' | 'postgres';
  /** Opens a new, empty store, plus a way to run raw SQL against the same database. */
  open(): Promise<{ store: Store; raw(text: string): Promise<Record<string, unknown>[]> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const file = join(tmp, `t${++seqNo}`, 'store.db');
      const store = await openSqliteStore(file);
      return {
        store,
        async raw(text) {
          const db = new Database(file);
          try {
            return db.prepare(text).all() as Record<string, unknown>[];
          } finally {
            db.close();
          }
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = freshSchema();
      const store = await openPostgresStore(PG_URL, { schema, poolSize: 4 });
      return { store, raw: (text) => pgQuery(schema, text) };
    },
  },
];

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  if (pgSchemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const s of pgSchemas) await client.query(`drop schema if exists ${s} cascade`);
  } finally {
    await client.end();
  }
});

const T0 = new Date('2025-03-04T05:06:07.089Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function key(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = over.id ?? `key_${randomBytes(6).toString('hex')}`;
  return {
    id,
    tenantId: 'default',
    name: `name of ${id}`,
    prefix: 'pcx_live_ab12',
    hash: `hash_${id}`,
    role: 'user',
    scopes: ['chat'],
    models: ['*'],
    prompts: ['*'],
    policy: null,
    adminRole: null,
    userId: null,
    projectId: null,
    ipAllowlist: [],
    createdAt: T0,
    expiresAt: null,
    revokedAt: null,
    replacedBy: null,
    lastUsedAt: null,
    ...over,
  };
}

function provider(over: Partial<ProviderRecord> = {}): ProviderRecord {
  return {
    id: `prov_${randomBytes(6).toString('hex')}`,
    tenantId: 'default',
    name: 'openai',
    kind: 'openai',
    baseUrl: null,
    apiKeyCiphertext: 'v1:ciphertext',
    models: ['gpt-4o'],
    settings: { timeoutMs: 30000 },
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

function request(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `req_${randomBytes(6).toString('hex')}`,
    tenantId: 'default',
    keyId: 'key_a',
    route: '/v1/chat/completions',
    method: 'POST',
    model: 'gpt-4o',
    provider: 'openai',
    status: 200,
    outcome: 'allowed',
    errorCode: null,
    latencyMs: 12,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    stream: false,
    ip: '10.0.0.1',
    detail: null,
    createdAt: T0,
    ...over,
  };
}

describe.each(backends)('store on $name', (backend) => {
  let store: Store;
  let raw: (text: string) => Promise<Record<string, unknown>[]>;

  beforeEach(async () => {
    ({ store, raw } = await backend.open());
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports its kind and answers ping', async () => {
    expect(store.kind).toBe(backend.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('migrate is idempotent and keeps data', async () => {
    await store.keys.insert(key({ id: 'key_keep' }));
    await store.migrate();
    await store.migrate();
    expect(await store.keys.get('default', 'key_keep')).toBeDefined();
    const applied = await raw('select name from kysely_migration order by name');
    expect(applied.map((r) => r['name'])).toEqual(migrations.map((m) => m.name));
  });

  describe('keys', () => {
    it('inserts and finds by hash, by tenant+id, and lists in creation order', async () => {
      const a = key({ id: 'key_a', createdAt: at(2) });
      const b = key({ id: 'key_b', createdAt: at(1), role: 'admin' });
      await store.keys.insert(a);
      await store.keys.insert(b);
      expect(await store.keys.findByHash(a.hash)).toEqual(a);
      expect(await store.keys.findByHash('nope')).toBeUndefined();
      expect(await store.keys.get('default', 'key_b')).toEqual(b);
      expect(await store.keys.get('default', 'key_zz')).toBeUndefined();
      expect((await store.keys.list('default')).map((k) => k.id)).toEqual(['key_b', 'key_a']);
    });

    it('rejects a second key with the same hash', async () => {
      await store.keys.insert(key({ id: 'key_1', hash: 'same' }));
      await expect(store.keys.insert(key({ id: 'key_2', hash: 'same' }))).rejects.toThrow();
      expect(await store.keys.get('default', 'key_2')).toBeUndefined();
    });

    it('revokes once, keeping the first revocation time', async () => {
      await store.keys.insert(key({ id: 'key_r' }));
      expect(await store.keys.revoke('default', 'key_r', at(100))).toBe(true);
      expect(await store.keys.revoke('default', 'key_r', at(200))).toBe(true);
      expect((await store.keys.get('default', 'key_r'))?.revokedAt).toEqual(at(100));
      expect(await store.keys.revoke('default', 'key_missing', at(100))).toBe(false);
    });

    it('sets and clears expiry and replacement', async () => {
      await store.keys.insert(key({ id: 'key_old' }));
      expect(await store.keys.setExpiry('default', 'key_old', at(5000), 'key_new')).toBe(true);
      let k = await store.keys.get('default', 'key_old');
      expect(k?.expiresAt).toEqual(at(5000));
      expect(k?.replacedBy).toBe('key_new');
      // Omitting replacedBy leaves it alone; null clears it.
      expect(await store.keys.setExpiry('default', 'key_old', at(6000))).toBe(true);
      k = await store.keys.get('default', 'key_old');
      expect(k?.expiresAt).toEqual(at(6000));
      expect(k?.replacedBy).toBe('key_new');
      expect(await store.keys.setExpiry('default', 'key_old', null, null)).toBe(true);
      k = await store.keys.get('default', 'key_old');
      expect(k?.expiresAt).toBeNull();
      expect(k?.replacedBy).toBeNull();
      expect(await store.keys.setExpiry('default', 'key_missing', null)).toBe(false);
    });

    it('touch records last use and never moves it backwards', async () => {
      await store.keys.insert(key({ id: 'key_t' }));
      await store.keys.touch('key_t', at(50));
      expect((await store.keys.get('default', 'key_t'))?.lastUsedAt).toEqual(at(50));
      await store.keys.touch('key_t', at(10));
      expect((await store.keys.get('default', 'key_t'))?.lastUsedAt).toEqual(at(50));
      await store.keys.touch('key_t', at(90));
      expect((await store.keys.get('default', 'key_t'))?.lastUsedAt).toEqual(at(90));
    });

    it('countAdmins counts only admin keys that still work', async () => {
      const future = new Date(Date.now() + 3_600_000);
      const past = new Date(Date.now() - 3_600_000);
      await store.keys.insert(key({ id: 'k1', role: 'admin' }));
      await store.keys.insert(key({ id: 'k2', role: 'admin', expiresAt: future }));
      await store.keys.insert(key({ id: 'k3', role: 'admin', expiresAt: past }));
      await store.keys.insert(key({ id: 'k4', role: 'admin' }));
      await store.keys.insert(key({ id: 'k5', role: 'user' }));
      await store.keys.insert(key({ id: 'k6', role: 'admin', tenantId: 'other' }));
      expect(await store.keys.countAdmins('default')).toBe(3);
      await store.keys.revoke('default', 'k4', new Date());
      expect(await store.keys.countAdmins('default')).toBe(2);
      expect(await store.keys.countAdmins('nobody')).toBe(0);
    });
  });

  it('isolates tenants', async () => {
    await store.keys.insert(key({ id: 'key_a', tenantId: 'a', role: 'admin' }));
    await store.providers.upsert(provider({ tenantId: 'a', name: 'shared', baseUrl: 'https://a.example' }));
    await store.providers.upsert(provider({ tenantId: 'b', name: 'shared', baseUrl: 'https://b.example' }));
    await store.requests.append([request({ tenantId: 'a' })]);

    expect(await store.keys.get('b', 'key_a')).toBeUndefined();
    expect(await store.keys.list('b')).toEqual([]);
    expect(await store.keys.revoke('b', 'key_a', at(1))).toBe(false);
    expect(await store.keys.setExpiry('b', 'key_a', at(1))).toBe(false);
    expect(await store.keys.countAdmins('b')).toBe(0);
    const untouched = await store.keys.get('a', 'key_a');
    expect(untouched?.revokedAt).toBeNull();
    expect(untouched?.expiresAt).toBeNull();

    expect((await store.providers.get('a', 'shared'))?.baseUrl).toBe('https://a.example');
    expect((await store.providers.get('b', 'shared'))?.baseUrl).toBe('https://b.example');
    expect(await store.providers.remove('c', 'shared')).toBe(false);
    expect(await store.providers.list('c')).toEqual([]);
    expect(await store.requests.query({ tenantId: 'b' })).toEqual([]);
    expect(await store.requests.query({ tenantId: 'a' })).toHaveLength(1);
  });

  describe('providers', () => {
    it('upsert replaces by (tenant, name), keeping id and createdAt', async () => {
      const first = provider({ id: 'prov_1', name: 'main' });
      await store.providers.upsert(first);
      const second = provider({
        id: 'prov_2',
        name: 'main',
        kind: 'anthropic',
        baseUrl: 'https://proxy.internal',
        apiKeyCiphertext: null,
        models: ['claude-x'],
        settings: { retries: 2 },
        createdAt: at(1000),
        updatedAt: at(2000),
      });
      await store.providers.upsert(second);
      expect(await store.providers.list('default')).toEqual([{ ...second, id: 'prov_1', createdAt: T0 }]);
    });

    it('gets, lists by name and removes', async () => {
      await store.providers.upsert(provider({ name: 'zeta' }));
      await store.providers.upsert(provider({ name: 'alpha', kind: 'mock' }));
      expect((await store.providers.list('default')).map((p) => p.name)).toEqual(['alpha', 'zeta']);
      expect((await store.providers.get('default', 'alpha'))?.kind).toBe('mock');
      expect(await store.providers.get('default', 'beta')).toBeUndefined();
      expect(await store.providers.remove('default', 'alpha')).toBe(true);
      expect(await store.providers.remove('default', 'alpha')).toBe(false);
      expect((await store.providers.list('default')).map((p) => p.name)).toEqual(['zeta']);
    });
  });

  describe('request log', () => {
    it('appends batches in order with increasing seq, and returns newest first', async () => {
      const batch1 = ['r1', 'r2', 'r3'].map((id) => request({ id }));
      const batch2 = ['r4', 'r5'].map((id) => request({ id }));
      await store.requests.append(batch1);
      await store.requests.append([]);
      await store.requests.append(batch2);
      const got = await store.requests.query({});
      expect(got.map((r) => r.id)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
      const seqs = got.map((r) => r.seq ?? Number.NaN).reverse();
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? Number.POSITIVE_INFINITY);
      expect(typeof seqs[0]).toBe('number');
    });

    it('appends a batch atomically', async () => {
      const bad = request({ id: 'bad', outcome: 'nonsense' as RequestRecord['outcome'] });
      await expect(store.requests.append([request({ id: 'ok1' }), bad])).rejects.toThrow();
      expect(await store.requests.query({})).toEqual([]);
    });

    it('filters by tenant, key, outcome and time window', async () => {
      await store.requests.append([
        request({ id: 'a', keyId: 'k1', createdAt: at(0) }),
        request({ id: 'b', keyId: 'k2', outcome: 'refused', status: 401, createdAt: at(10) }),
        request({ id: 'c', keyId: 'k1', outcome: 'failed', status: 502, createdAt: at(20) }),
        request({ id: 'd', keyId: null, tenantId: 't2', createdAt: at(30) }),
      ]);
      const ids = async (q: Parameters<Store['requests']['query']>[0]) =>
        (await store.requests.query(q)).map((r) => r.id);
      expect(await ids({ keyId: 'k1' })).toEqual(['c', 'a']);
      expect(await ids({ outcome: 'refused' })).toEqual(['b']);
      expect(await ids({ tenantId: 'default' })).toEqual(['c', 'b', 'a']);
      expect(await ids({ tenantId: 't2' })).toEqual(['d']);
      // since is inclusive, until exclusive.
      expect(await ids({ since: at(10), until: at(30) })).toEqual(['c', 'b']);
      expect(await ids({ tenantId: 'default', keyId: 'k1', outcome: 'failed', since: at(20) })).toEqual(['c']);
      expect(await ids({ limit: 2 })).toEqual(['d', 'c']);
    });

    it('limits to 100 by default and 1000 at most', async () => {
      const rows = Array.from({ length: 1100 }, (_, i) => request({ id: `r${i}` }));
      await store.requests.append(rows);
      expect(await store.requests.query({})).toHaveLength(100);
      const all = await store.requests.query({ limit: 5000 });
      expect(all).toHaveLength(1000);
      expect(all[0]?.id).toBe('r1099');
      expect(await store.requests.query({ limit: 0 })).toHaveLength(1);
    });
  });

  describe('meta', () => {
    it('gets, sets and overwrites', async () => {
      expect(await store.meta.get('k')).toBeUndefined();
      await store.meta.set('k', 'v1');
      expect(await store.meta.get('k')).toBe('v1');
      await store.meta.set('k', 'v2');
      expect(await store.meta.get('k')).toBe('v2');
      expect(await store.meta.setIfAbsent('k', 'v3')).toBe(false);
      expect(await store.meta.get('k')).toBe('v2');
    });

    it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => store.meta.setIfAbsent('boot', `v${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.meta.get('boot')).toBe(`v${results.indexOf(true)}`);
    });
  });

  it('round-trips dates to the millisecond and JSON values exactly', async () => {
    const k = key({
      id: 'key_dates',
      name: 'ünïcødé 🔑',
      scopes: ['chat', 'models'],
      models: ['gpt-4o*', 'claude-*'],
      createdAt: new Date('1999-12-31T23:59:59.999Z'),
      expiresAt: new Date('2199-01-01T00:00:00.001Z'),
      lastUsedAt: new Date(1),
    });
    await store.keys.insert(k);
    const got = await store.keys.get('default', k.id);
    expect(got).toEqual(k);
    expect(got?.createdAt).toBeInstanceOf(Date);

    const settings = { nested: { list: [1, 'two', null, true], empty: {} }, quote: 'a"b\\c', n: 1.5 };
    await store.providers.upsert(provider({ name: 'json', settings }));
    expect((await store.providers.get('default', 'json'))?.settings).toEqual(settings);

    const detail = { findings: [{ rule: 'pii.email', span: [3, 9] }], masked: true };
    await store.requests.append([request({ id: 'j1', detail, stream: true, createdAt: at(7) }), request({ id: 'j2' })]);
    const [j2, j1] = await store.requests.query({});
    expect(j1).toMatchObject({ id: 'j1', detail, stream: true, createdAt: at(7) });
    expect(j2).toMatchObject({ id: 'j2', detail: null, stream: false, createdAt: T0 });
  });

  it('refuses an invalid Date instead of storing garbage', async () => {
    await expect(store.keys.insert(key({ createdAt: new Date(Number.NaN) }))).rejects.toThrow(/invalid Date/);
  });
});

describe('sqlite specifics', () => {
  it('creates the parent directory 0700 and the file 0600, in WAL mode', async () => {
    const dir = join(tmp, 'fresh', 'nested');
    const file = join(dir, 'p.db');
    const store = await openSqliteStore(file);
    try {
      await store.migrate();
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
    const db = new Database(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('supports :memory:', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await store.migrate();
      await store.meta.set('a', 'b');
      expect(await store.meta.get('a')).toBe('b');
    } finally {
      await store.close();
    }
  });
});

describe('openStore', () => {
  it('opens SQLite for sqlite: URLs and bare paths', async () => {
    for (const url of ['sqlite::memory:', `sqlite://${join(tmp, 'u1.db')}`, join(tmp, 'u2', 'p.db')]) {
      const store = await openStore(url);
      try {
        expect(store.kind).toBe('sqlite');
        await store.migrate();
      } finally {
        await store.close();
      }
    }
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs', async () => {
    for (const url of [PG_URL, PG_URL.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openStore(url);
      try {
        expect(store.kind).toBe('postgres');
        await store.ping();
      } finally {
        await store.close();
      }
    }
  });

  it('rejects other schemes without echoing the URL', async () => {
    const err = await openStore('mysql://user:secret@host/db').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/"mysql:"/);
    expect((err as Error).message).not.toMatch(/secret/);
  });
});

describe('postgres specifics', () => {
  let schema: string;
  beforeAll(() => {
    schema = freshSchema();
  });

  it('runs concurrent migrations from several replicas exactly once', async () => {
    // Opening concurrently also races "create schema"; it must not fail either.
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(PG_URL, { schema, poolSize: 2 })));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      await Promise.all(stores.map((s) => s.migrate()));
      const applied = await pgQuery(schema, 'select name from kysely_migration order by name');
      expect(applied.map((r) => r['name'])).toEqual(migrations.map((m) => m.name));
      // Every replica sees the one schema: what one writes, the others read.
      await stores[0]?.meta.set('shared', 'yes');
      for (const s of stores) expect(await s.meta.get('shared')).toBe('yes');
      const tables = await pgQuery(
        schema,
        `select table_name from information_schema.tables where table_schema = '${schema}' order by table_name`,
      );
      expect(tables.map((r) => r['table_name'])).toEqual(
        expect.arrayContaining(['api_keys', 'meta', 'providers', 'request_log']),
      );
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore(PG_URL, { schema: 'x; drop table y' })).rejects.toThrow(/schema name/);
  });
});
