import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.ts';
import { openCore } from '../src/services.ts';
import { PG_URL } from './helpers/gateway.ts';

// `portcullis audit|privacy|retention …` through the real binary, against a real SQLite file and a real PostgreSQL
// schema, with tampering done in the database itself.

const BIN = resolve(import.meta.dirname, '../bin/portcullis');
const SCHEMA = `pcx_audit_cli_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

afterAll(async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
  } finally {
    await client.end();
  }
});

function setup(storageUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-audit-cli-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORTCULLIS_STORAGE_URL: storageUrl ?? `sqlite:${join(dir, 'cli.db')}`,
    PORTCULLIS_SECRETS_MASTER_KEY_FILE: join(dir, 'master.key'),
    PORTCULLIS_LOG_LEVEL: 'warn',
  };
  const run = (args: string[]) => {
    const r = spawnSync(BIN, args, { env, encoding: 'utf8', cwd: dir });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** The same database and master key, opened in-process to seed records the way the gateway writes them. */
  const core = async () =>
    openCore(
      loadConfig({
        env: {},
        overrides: {
          'storage.url': env.PORTCULLIS_STORAGE_URL,
          'secrets.masterKeyFile': env.PORTCULLIS_SECRETS_MASTER_KEY_FILE,
        },
      }).config,
    );
  return { dir, run, core, file: join(dir, 'cli.db') };
}

async function seed(core: Awaited<ReturnType<ReturnType<typeof setup>['core']>>) {
  await core.audit.record({ tenantId: 'default', actor: 'cli:alice', action: 'key.create', target: 'key_1' });
  await core.audit.record({ tenantId: 'default', actor: 'user:u1', action: 'prompt.version', target: '=1+1' });
  await core.store.requests.append([
    {
      id: 'req_1',
      tenantId: 'default',
      keyId: 'key_1',
      route: '/v1/chat/completions',
      method: 'POST',
      model: 'mock-1',
      provider: 'mock',
      status: 200,
      outcome: 'allowed',
      errorCode: null,
      latencyMs: 1,
      promptTokens: 1,
      completionTokens: 1,
      totalTokens: 2,
      stream: false,
      ip: null,
      detail: null,
      createdAt: new Date(),
      subject: 'bob',
    },
  ]);
  await core.audit.record({ tenantId: 'default', actor: 'cli:alice', action: 'key.revoke', target: 'key_1' });
}

describe('portcullis audit (SQLite)', () => {
  it('verifies (exit 0), finds a changed record (exit 1, with its seq), searches, exports and handles privacy requests', async () => {
    const s = setup();
    const core = await s.core();
    await seed(core);
    await core.close();

    const ok = s.run(['audit', 'verify']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('default: ok (4 records, seq 1–4, from the start');

    const found = s.run(['audit', 'search', '--action', 'key.*']);
    expect(found.code, found.err).toBe(0);
    expect(found.out).toMatch(/4 .*cli:alice\s+key\.revoke/);
    const json = s.run(['audit', 'search', '--subject', 'bob', '--json']);
    expect(
      json.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).action),
    ).toEqual(['request']);
    const injected = s.run(['audit', 'search', '--actor', "' OR '1'='1' --"]);
    expect(injected.code).toBe(0);
    expect(injected.out).toBe('(none)\n');
    const refused = s.run(['audit', 'search', '--action', "key' OR 1=1 --"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('invalid filter: action');
    expect(s.run(['audit', 'search', '--since', 'last tuesday']).code).toBe(2);

    const out = join(s.dir, 'audit.csv');
    const exp = s.run(['audit', 'export', '--format', 'csv', '--out', out]);
    expect(exp.code, exp.err).toBe(0);
    expect(exp.err).toContain('4 records written');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const csv = readFileSync(out, 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^seq,tenant,at,actor/);
    expect(csv[2]).toContain(",'=1+1,");

    expect(s.run(['privacy', 'erase', 'bob']).code).toBe(2);
    const privacyOut = join(s.dir, 'bob.json');
    expect(s.run(['privacy', 'export', 'bob', '--out', privacyOut]).code).toBe(0);
    expect(JSON.parse(readFileSync(privacyOut, 'utf8')).requestLog).toHaveLength(1);
    const erased = s.run(['privacy', 'erase', 'bob', '--yes', '--json']);
    expect(erased.code, erased.err).toBe(0);
    expect(JSON.parse(erased.out).removed).toMatchObject({ requestLog: 1, auditSubjectLinks: 1 });
    expect(JSON.parse(s.run(['privacy', 'export', 'bob']).out).requestLog).toEqual([]);

    const purge = s.run(['retention', 'run', '--json']);
    expect(purge.code, purge.err).toBe(0);
    expect(JSON.parse(purge.out).tenants[0]).toMatchObject({ tenantId: 'default', refused: null });

    expect(s.run(['audit', 'verify']).code).toBe(0);
    const db = new Database(s.file);
    db.prepare(`update audit_log set target = 'key_2' where seq = 3`).run();
    db.close();
    const broken = s.run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('default: BROKEN');
    expect(broken.out).toContain('seq 3: changed: record at seq 3 was changed');
    const brokenJson = JSON.parse(s.run(['audit', 'verify', '--json']).out);
    expect(brokenJson.chains[0].problems[0]).toMatchObject({ kind: 'changed', seq: 3 });
  });
});

describe('portcullis audit (PostgreSQL)', () => {
  it('reports a deleted record with its seq and exits 1', async () => {
    const s = setup(`${PG_URL}?schema=${SCHEMA}`);
    const core = await s.core();
    await seed(core);
    await core.close();
    expect(s.run(['audit', 'verify', '--tenant', 'default']).code).toBe(0);
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${SCHEMA}` });
    await client.connect();
    await client.query('delete from audit_log where seq = 2');
    await client.end();
    const broken = s.run(['audit', 'verify', '--tenant', 'default']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('seq 2: missing: record seq 2 is missing (deleted)');
    expect(s.run(['audit', 'verify', '--tenant', 'Not A Tenant']).code).toBe(2);
  });
});
