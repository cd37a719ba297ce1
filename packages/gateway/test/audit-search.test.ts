import { afterAll, describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../src/audit/export-format.ts';
import { auditFiltersSchema } from '../src/audit/filters.ts';
import type { AuditService } from '../src/audit/service.ts';
import type { AuditRecord } from '../src/store/types.ts';
import { type AuditEnv, backends, requestRecord } from './helpers/audit-backends.ts';

// Search, filters and export on both real backends, including SQL-injection attempts in every free-text filter.

const dbs = backends('pcx_audit_search');
afterAll(() => dbs.cleanup());

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE audit_log; --",
  '" OR ""="',
  "key:x' UNION SELECT tenant_id, seq FROM audit_log --",
  '%',
  '_',
  '\\',
  "1; DELETE FROM audit_subjects WHERE '1'='1",
];

const T0 = Date.parse('2026-03-01T00:00:00Z');

async function seed(env: AuditEnv) {
  const a = env.audit;
  await a.record({
    tenantId: 'default',
    actor: 'key:key_1',
    keyId: 'key_1',
    action: 'key.create',
    target: 'key_2',
    at: new Date(T0),
  });
  await a.record({
    tenantId: 'default',
    actor: 'user:u1',
    action: 'prompt.version',
    target: 'analyze',
    at: new Date(T0 + 1000),
  });
  await a.record({
    tenantId: 'default',
    actor: 'user:u2',
    action: 'privacy.export',
    subject: 'bob',
    at: new Date(T0 + 2000),
  });
  await a.record({
    tenantId: 'default',
    actor: 'cli:root',
    action: 'privacy.erase',
    outcome: 'failure',
    at: new Date(T0 + 3000),
  });
  await a
    .requestLog()
    .append([
      requestRecord({ subject: 'bob', keyId: 'key_2', createdAt: new Date(T0 + 4000) }),
      requestRecord({ keyId: 'key_2', outcome: 'refused', status: 403, createdAt: new Date(T0 + 5000) }),
    ]);
  await a.record({ tenantId: 'other', actor: 'key:key_9', action: 'key.create', at: new Date(T0 + 6000) });
}

const seqs = (p: { data: AuditRecord[] }) => p.data.map((r) => r.seq);
const search = (a: AuditService, f: Record<string, unknown>, tenant = 'default') =>
  a.search(tenant, auditFiltersSchema.parse(f));

describe('audit filters (validation)', () => {
  it('refuses malformed filters with the field named', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ action: "request' OR 1=1 --" }, 'action'],
      [{ action: 'REQUEST' }, 'action'],
      [{ outcome: 'allowed; drop table' }, 'outcome'],
      [{ key: "key_1' --" }, 'key'],
      [{ since: 'yesterday' }, 'since'],
      [{ since: '2026-02-30T99:00:00Z' }, 'since'],
      [{ since: '2026-03-02', until: '2026-03-01' }, 'since'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '5000' }, 'limit'],
      [{ cursor: '-1' }, 'cursor'],
      [{ actor: 'a\u0000b' }, 'actor'],
      [{ actor: 'key:a', user: 'b' }, 'user'],
      [{ tenant: 'other' }, ''],
      [{ 'actor; drop': 'x' }, ''],
    ];
    for (const [f, field] of bad) {
      const r = auditFiltersSchema.safeParse(f);
      expect(r.success, JSON.stringify(f)).toBe(false);
      if (field) expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
    }
  });
});

describe('CSV export format', () => {
  it('quotes per RFC 4180 and neutralises spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });
});

describe.each(['sqlite', 'postgres'] as const)('audit search on %s', (backend) => {
  it('filters by time, actor, user, key, action (exact and prefix), outcome, subject and target, in one tenant', async () => {
    const env = await dbs.open(backend);
    await seed(env);
    const a = env.audit;
    expect(seqs(await search(a, {}))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(seqs(await search(a, { order: 'asc' }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs(await search(a, {}, 'other'))).toEqual([1]);
    expect(seqs(await search(a, { since: '2026-03-01T00:00:01Z', until: '2026-03-01T00:00:03Z' }))).toEqual([3, 2]);
    expect(seqs(await search(a, { actor: 'user:u1' }))).toEqual([2]);
    expect(seqs(await search(a, { user: 'u2' }))).toEqual([3]);
    expect(seqs(await search(a, { key: 'key_2' }))).toEqual([6, 5]);
    expect(seqs(await search(a, { action: 'privacy.*' }))).toEqual([4, 3]);
    expect(seqs(await search(a, { action: 'request' }))).toEqual([6, 5]);
    expect(seqs(await search(a, { outcome: 'refused' }))).toEqual([6]);
    expect(seqs(await search(a, { outcome: 'failure' }))).toEqual([4]);
    expect(seqs(await search(a, { subject: 'bob' }))).toEqual([5, 3]);
    expect(seqs(await search(a, { subject: 'nobody' }))).toEqual([]);
    expect(seqs(await search(a, { target: 'analyze' }))).toEqual([2]);
    // A subject search never creates a pseudonym for an unknown subject.
    expect(Number((await env.raw('select count(*) as n from audit_subjects'))[0]!['n'])).toBe(1);
  });

  it('pages with a cursor in both orders', async () => {
    const env = await dbs.open(backend);
    await seed(env);
    const p1 = await search(env.audit, { limit: 4 });
    expect(seqs(p1)).toEqual([6, 5, 4, 3]);
    expect(p1.nextCursor).toBe(3);
    const p2 = await search(env.audit, { limit: 4, cursor: 3 });
    expect(seqs(p2)).toEqual([2, 1]);
    expect(p2.nextCursor).toBeNull();
    const asc = await search(env.audit, { limit: 2, order: 'asc', cursor: 2 });
    expect(seqs(asc)).toEqual([3, 4]);
  });

  it('treats injection attempts in every free-text filter as plain values', async () => {
    const env = await dbs.open(backend);
    await seed(env);
    for (const s of INJECTIONS) {
      for (const field of ['actor', 'user', 'subject', 'target']) {
        const f = auditFiltersSchema.safeParse({ [field]: s });
        expect(f.success).toBe(true);
        expect(seqs(await env.audit.search('default', f.data!)), `${field}=${s}`).toEqual([]);
      }
      // And as a tenant id (an admin's tenant comes from its key, but the service must not trust it either).
      expect(seqs(await env.audit.search(s, {}))).toEqual([]);
    }
    // Nothing was dropped or deleted, and the chain still verifies.
    expect(seqs(await search(env.audit, {}))).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await env.audit.verify()).ok).toBe(true);
  });

  it('exports JSON Lines and CSV (formulas neutralised) and records each export', async () => {
    const env = await dbs.open(backend);
    await seed(env);
    await env.audit.record({ tenantId: 'default', actor: '=cmd|calc', action: 'key.revoke', target: '@SUM(A1),"x"' });
    let jsonl = '';
    const r1 = await env.audit.export(
      'default',
      {},
      'jsonl',
      (c) => {
        jsonl += c;
      },
      'cli:tester',
    );
    const lines = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(r1.records).toBe(7);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines[4]).toMatchObject({ action: 'request', key: 'key_2', detail: { status: 200 } });
    expect(lines[4].subject).toMatch(/^ps_/);

    let csv = '';
    await env.audit.export(
      'default',
      { action: 'key.*' },
      'csv',
      (c) => {
        csv += c;
      },
      'cli:tester',
    );
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('seq,tenant,at,actor,key,subject,action,outcome,target,detail,prev_hash,hash');
    expect(rows[2]).toContain(`,'=cmd|calc,`);
    expect(rows[2]).toContain(`"'@SUM(A1),""x"""`);
    expect(rows).toHaveLength(4); // header, 2 records, trailing empty
    const [rec] = (await env.audit.search('default', { action: 'key.revoke' })).data;
    expect(rows[2]).toBe(csvLine(rec!).replace(/\r\n$/, ''));

    // Both exports are in the log: who, the format, the filters and a digest of what was exported.
    const exports = (await env.audit.search('default', { action: 'audit.export', order: 'asc' })).data;
    expect(exports.map((e) => [e.actor, e.target])).toEqual([
      ['cli:tester', 'jsonl'],
      ['cli:tester', 'csv'],
    ]);
    expect(JSON.parse(exports[1]!.detail!)).toMatchObject({ filters: { action: 'key.*' }, records: 2 });
    expect((await env.audit.verify()).ok).toBe(true);
  });
});
