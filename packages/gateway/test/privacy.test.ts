import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyService } from '../src/audit/privacy.ts';
import type { ExecutionOutputRecord } from '../src/store/types.ts';
import { type AuditEnv, backends, requestRecord } from './helpers/audit-backends.ts';

// GDPR access and erasure on both real backends: everything about a subject is exported, then erased with a report,
// after which nothing in the database names the subject, and the audit chain still verifies.

const dbs = backends('pcx_privacy');
afterAll(() => dbs.cleanup());

const SUBJECT = 'alice-7f3e@example.com';

function output(over: Partial<ExecutionOutputRecord>): ExecutionOutputRecord {
  return {
    requestId: 'req_x',
    tenantId: 'default',
    promptId: 'analyze',
    promptVersion: 1,
    keyId: 'key_a',
    subject: SUBJECT,
    output: 'Summary for Alice',
    piiMasked: false,
    createdAt: new Date(),
    ...over,
  };
}

async function seed(env: AuditEnv) {
  await env.audit.requestLog().append([
    requestRecord({
      id: 'req_a1',
      subject: SUBJECT,
      detail: { subject: SUBJECT, prompt: { id: 'analyze', version: 1 } },
    }),
    requestRecord({ id: 'req_a2', subject: SUBJECT, outcome: 'refused', status: 400 }),
    requestRecord({ id: 'req_b1', subject: 'bob' }),
    requestRecord({ id: 'req_other_tenant', tenantId: 'acme', subject: SUBJECT }),
  ]);
  await env.store.executions.insert(output({ requestId: 'req_a1' }));
  await env.store.executions.insert(output({ requestId: 'req_b1', subject: 'bob', output: 'for bob' }));
  await env.audit.record({ tenantId: 'default', actor: 'key:key_a', action: 'client_token.mint', subject: SUBJECT });
}

/** Every text cell of every table, to prove the subject id is nowhere. */
async function dump(env: AuditEnv): Promise<string> {
  const tables =
    env.name === 'sqlite'
      ? await env.raw(`select name from sqlite_master where type = 'table'`)
      : await env.raw(`select table_name as name from information_schema.tables where table_schema = current_schema()`);
  let all = '';
  for (const t of tables) all += JSON.stringify(await env.raw(`select * from "${t['name']}"`));
  return all;
}

describe.each(['sqlite', 'postgres'] as const)('privacy requests on %s', (backend) => {
  it('exports everything stored about a subject in one tenant, and records the request', async () => {
    const env = await dbs.open(backend);
    await seed(env);
    const privacy = new PrivacyService(env.store, env.audit);
    const data = await privacy.export('default', SUBJECT, 'user:dpo');
    expect(data.requestLog.map((r) => r['id'])).toEqual(['req_a1', 'req_a2']);
    expect(data.executionOutputs).toEqual([
      expect.objectContaining({ requestId: 'req_a1', output: 'Summary for Alice' }),
    ]);
    expect(data.pseudonym).toMatch(/^ps_/);
    expect(data.auditEvents.map((e) => e.action)).toEqual(['request', 'request', 'client_token.mint']);
    expect(data.auditEvents.every((e) => e.subject === data.pseudonym)).toBe(true);
    const [rec] = (await env.audit.search('default', { action: 'privacy.export' })).data;
    expect(rec).toMatchObject({ actor: 'user:dpo', subject: data.pseudonym });
    expect(JSON.parse(rec!.detail!)).toEqual({ requestLog: 2, executionOutputs: 1, auditEvents: 3 });

    // An unknown subject: an empty export, and no pseudonym is minted for it.
    const none = await privacy.export('default', 'nobody', 'user:dpo');
    expect(none).toMatchObject({ pseudonym: null, requestLog: [], executionOutputs: [], auditEvents: [] });
    // alice and bob here, alice in acme: no fourth link for "nobody".
    expect(Number((await env.raw('select count(*) as n from audit_subjects'))[0]!['n'])).toBe(3);
  });

  it('erases a subject: counts per table, nothing retrievable afterwards, other data and the chain intact', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 3 });
    await seed(env);
    const privacy = new PrivacyService(env.store, env.audit);
    const before = await privacy.export('default', SUBJECT, 'user:dpo');

    const report = await privacy.erase('default', SUBJECT, 'user:dpo');
    expect(report.removed).toEqual({
      requestLog: 2,
      executionOutputs: 1,
      auditSubjectLinks: 1,
      auditRecordsUnlinked: 4,
    });

    // Nothing about the subject is retrievable: not by export, not by search, not in any table of this tenant.
    const after = await privacy.export('default', SUBJECT, 'user:dpo');
    expect(after).toMatchObject({ pseudonym: null, requestLog: [], executionOutputs: [], auditEvents: [] });
    expect((await env.audit.search('default', { subject: SUBJECT })).data).toEqual([]);
    const all = await dump(env);
    expect(all.split(SUBJECT).length - 1).toBe(1); // only tenant acme's request, which is another tenant's data
    expect(all).toContain('req_other_tenant');

    // The audit records remain, under a pseudonym that nothing links to anyone now.
    const orphaned = await env.raw(`select count(*) as n from audit_log where subject = '${before.pseudonym}'`);
    expect(Number(orphaned[0]!['n'])).toBe(4);
    const [erase] = (await env.audit.search('default', { action: 'privacy.erase' })).data;
    expect(erase).toMatchObject({
      seq: report.auditSeq,
      actor: 'user:dpo',
      subject: null,
      target: `subject:${before.pseudonym}`,
    });
    expect(JSON.parse(erase!.detail!).removed).toEqual(report.removed);

    // Bob's data is untouched; the chain verifies.
    const bob = await privacy.export('default', 'bob', 'user:dpo');
    expect(bob.requestLog).toHaveLength(1);
    expect(bob.executionOutputs).toHaveLength(1);
    expect((await env.audit.verify()).ok).toBe(true);

    // New activity after erasure gets a new pseudonym, unrelated to the old one.
    await env.audit.record({ tenantId: 'default', actor: 'key:key_a', action: 'client_token.mint', subject: SUBJECT });
    const again = await privacy.export('default', SUBJECT, 'user:dpo');
    expect(again.pseudonym).toMatch(/^ps_/);
    expect(again.pseudonym).not.toBe(before.pseudonym);
    expect(again.auditEvents).toHaveLength(1);

    // Erasing twice is harmless and says so.
    const twice = await privacy.erase('default', 'bob', 'user:dpo');
    expect(twice.removed.requestLog).toBe(1);
    const thrice = await privacy.erase('default', 'bob', 'user:dpo');
    expect(thrice.removed).toEqual({
      requestLog: 0,
      executionOutputs: 0,
      auditSubjectLinks: 0,
      auditRecordsUnlinked: 0,
    });
    expect((await env.audit.verify()).ok).toBe(true);
  });
});
