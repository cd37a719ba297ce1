import { afterAll, describe, expect, it } from 'vitest';
import { cutoffsFor, RetentionJob } from '../src/audit/retention-job.ts';
import { RetentionSettings, retentionSchema } from '../src/audit/retention-settings.ts';
import { AuditService } from '../src/audit/service.ts';
import type { ExecutionOutputRecord } from '../src/store/types.ts';
import { type AuditEnv, backends, requestRecord } from './helpers/audit-backends.ts';

// The retention purge on both real backends: what each setting deletes, how the audit log is purged without breaking
// verification, that each purge is itself audited, and that replicas running it at once do no harm.

const dbs = backends('pcx_retention');
afterAll(() => dbs.cleanup());

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

function output(id: string, days: number, piiMasked: boolean, tenantId = 'default'): ExecutionOutputRecord {
  return {
    requestId: id,
    tenantId,
    promptId: 'p',
    promptVersion: 1,
    keyId: 'key_a',
    subject: null,
    output: 'x',
    piiMasked,
    createdAt: ago(days),
  };
}

async function seed(env: AuditEnv) {
  // Requests (each with its audit event) 40, 20 and 1 days ago, in two tenants.
  for (const tenantId of ['default', 'acme']) {
    await env.audit
      .requestLog()
      .append([40, 20, 1].map((d) => requestRecord({ tenantId, id: `req_${tenantId}_${d}`, createdAt: ago(d) })));
  }
  await env.store.executions.insert(output('o40', 40, true));
  await env.store.executions.insert(output('o10u', 10, false));
  await env.store.executions.insert(output('o10m', 10, true));
  await env.store.executions.insert(output('o2u', 2, false));
  const settings = new RetentionSettings(env.store.settings);
  await settings.set('default', { logs: '30d', responses: '30d', pii: '7d' }, 'cli:test');
  await settings.set('acme', { logs: '3650d', responses: '3650d', pii: '3650d' }, 'cli:test');
  return settings;
}

const ids = async (env: AuditEnv, table: string, col: string, tenant = 'default') =>
  (await env.raw(`select ${col} as v from ${table} where tenant_id = '${tenant}' order by ${col}`)).map((r) =>
    // pg returns bigint columns as strings to a plain client.
    typeof r['v'] === 'string' && /^\d+$/.test(r['v']) ? Number(r['v']) : r['v'],
  );

describe('retention values', () => {
  it('refuses negative, unbounded and malformed durations with a clear message', () => {
    for (const v of ['-1d', 'forever', '0d', '1y', '30', '3651d', '1.5d', '', 'NONE', '1e3d']) {
      const r = retentionSchema.safeParse({ logs: v, responses: 'none', pii: 'none' });
      expect(r.success, v).toBe(false);
      expect(r.error!.issues[0]!.message).toContain('a duration such as 30d or 12h');
    }
    expect(retentionSchema.safeParse({ logs: '30d', responses: '12h', pii: 'none' }).success).toBe(true);
  });

  it('maps settings to cutoffs (none keeps nothing)', () => {
    const c = cutoffsFor({ logs: '30d', responses: '12h', pii: 'none' }, NOW);
    expect(c.logs).toEqual(ago(30));
    expect(c.responses).toEqual(new Date(NOW.getTime() - 12 * 3_600_000));
    expect(c.pii).toEqual(NOW);
  });
});

describe.each(['sqlite', 'postgres'] as const)('retention purge on %s', (backend) => {
  it('deletes expired request records, outputs and unmasked outputs per tenant, and audits the purge', async () => {
    const env = await dbs.open(backend);
    const settings = await seed(env);
    const job = new RetentionJob(env.store, settings, env.audit, { intervalMs: 0 });
    const report = await job.run('system:retention', NOW);

    const mine = report.tenants.find((t) => t.tenantId === 'default')!;
    expect(mine.deleted).toEqual({
      requestLog: 1,
      executionOutputs: 1,
      unmaskedOutputs: 1,
      auditRecords: 1,
      auditCheckpoints: 0,
    });
    expect(await ids(env, 'request_log', 'id')).toEqual(['req_default_1', 'req_default_20']);
    expect(await ids(env, 'execution_outputs', 'request_id')).toEqual(['o10m', 'o2u']);
    // acme keeps ten years: nothing of it was touched, and nothing recorded for it.
    expect(report.tenants.find((t) => t.tenantId === 'acme')!.deleted!.requestLog).toBe(0);
    expect(await ids(env, 'request_log', 'id', 'acme')).toHaveLength(3);
    expect((await env.audit.search('acme', { action: 'retention.purge' })).data).toEqual([]);

    // The audit log lost its 40-day-old record up to a signed checkpoint, which now anchors the chain...
    expect(await ids(env, 'audit_log', 'seq')).toEqual([2, 3, 4]);
    expect(await ids(env, 'audit_checkpoints', 'seq')).toEqual([1]);
    const [purge] = (await env.audit.search('default', { action: 'retention.purge' })).data;
    expect(purge).toMatchObject({ seq: 4, actor: 'system:retention', outcome: 'success' });
    expect(JSON.parse(purge!.detail!)).toMatchObject({
      settings: { logs: '30d', responses: '30d', pii: '7d' },
      deleted: mine.deleted,
      audit: { through: 1 },
    });
    // ...and verification starts there.
    const v = await env.audit.verify('default');
    expect(v.ok).toBe(true);
    expect(v.chains[0]).toMatchObject({ anchor: { kind: 'checkpoint', seq: 1 }, firstSeq: 2, lastSeq: 4 });

    // A second run finds nothing to do and records nothing.
    const again = await job.run('system:retention', NOW);
    expect(Object.values(again.tenants.find((t) => t.tenantId === 'default')!.deleted!)).toEqual([0, 0, 0, 0, 0]);
    expect(await ids(env, 'audit_log', 'seq')).toEqual([2, 3, 4]);

    // Later, everything expires ("none"): the chain is purged up to its head and continues from the anchor.
    await settings.set('default', { logs: 'none', responses: 'none', pii: 'none' }, 'cli:test');
    await job.run('cli:ops', new Date(NOW.getTime() + DAY));
    expect(await ids(env, 'request_log', 'id')).toEqual([]);
    expect(await ids(env, 'execution_outputs', 'request_id')).toEqual([]);
    expect(await ids(env, 'audit_log', 'seq')).toEqual([5]);
    expect(await ids(env, 'audit_checkpoints', 'seq')).toEqual([4]);
    await env.audit.record({ tenantId: 'default', actor: 'cli:ops', action: 'key.create' });
    const v2 = await env.audit.verify('default');
    expect(v2.ok).toBe(true);
    expect(v2.chains[0]).toMatchObject({ anchor: { kind: 'checkpoint', seq: 4 }, firstSeq: 5, lastSeq: 6 });
  });

  it('refuses to purge audit records that do not verify, keeping them as evidence', async () => {
    const env = await dbs.open(backend);
    const settings = await seed(env);
    await env.raw(`update audit_log set actor = 'key:someone_else' where tenant_id = 'default' and seq = 1`);
    const report = await new RetentionJob(env.store, settings, env.audit, { intervalMs: 0 }).run(
      'system:retention',
      NOW,
    );
    const mine = report.tenants.find((t) => t.tenantId === 'default')!;
    expect(mine.refused).toContain('seq 1 was changed');
    expect(mine.deleted!.auditRecords).toBe(0);
    expect(mine.deleted!.requestLog).toBe(1);
    expect(await ids(env, 'audit_log', 'seq')).toEqual([1, 2, 3, 4]);
    const [purge] = (await env.audit.search('default', { action: 'retention.purge' })).data;
    expect(purge!.outcome).toBe('failure');
    const v = await env.audit.verify('default');
    expect(v.chains[0]!.problems.map((p) => `${p.kind}@${p.seq}`)).toEqual(['changed@1']);
  });

  it('is safe with several replicas purging at once', async () => {
    const env = await dbs.open(backend);
    const settings = await seed(env);
    const replicas = [env.store, ...(backend === 'postgres' ? [await env.reopen(), await env.reopen()] : [env.store])];
    const reports = await Promise.all(
      replicas.map((s) =>
        new RetentionJob(s, settings, new AuditService(s, env.keys, { checkpointEvery: 0 }), { intervalMs: 0 }).run(
          'system:retention',
          NOW,
        ),
      ),
    );
    // Each row was deleted once in total, and exactly one purge was recorded.
    const total = reports
      .flatMap((r) => r.tenants.filter((t) => t.tenantId === 'default'))
      .reduce((n, t) => n + (t.deleted?.requestLog ?? 0), 0);
    expect(total).toBe(1);
    expect((await env.audit.search('default', { action: 'retention.purge' })).data).toHaveLength(1);
    expect((await env.audit.verify()).ok).toBe(true);
  });
});
