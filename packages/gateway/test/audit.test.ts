import { spawn } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, recordHash } from '../src/audit/chain.ts';
import { AuditService } from '../src/audit/service.ts';
import type { AuditRecord } from '../src/store/types.ts';
import { type AuditEnv, backends, requestRecord } from './helpers/audit-backends.ts';

// The hash chain on both real backends: appends (with request records, concurrently), and each kind of tampering done
// with raw SQL on the database itself, reported with the seq where the chain breaks.

const dbs = backends('pcx_audit');
afterAll(() => dbs.cleanup());

async function appendN(env: AuditEnv, n: number, tenantId = 'default') {
  for (let i = 0; i < n; i++) {
    await env.audit.record({
      tenantId,
      actor: `key:key_${i % 3}`,
      action: 'key.create',
      target: `key_${i}`,
      detail: { i },
    });
  }
}

function kinds(report: Awaited<ReturnType<AuditService['verify']>>) {
  return report.chains.flatMap((c) => c.problems.map((p) => `${p.kind}@${p.seq}`));
}

describe('canonical encoding', () => {
  it('sorts keys at every level and covers every field', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    const base: Omit<AuditRecord, 'hash'> = {
      tenantId: 't',
      seq: 1,
      at: new Date(0),
      actor: 'a',
      keyId: null,
      subject: null,
      action: 'x',
      outcome: 'success',
      target: null,
      detail: null,
      prevHash: GENESIS_HASH,
    };
    const h = recordHash(base);
    for (const change of [{ seq: 2 }, { actor: 'b' }, { target: '' }, { detail: '{}' }, { prevHash: 'f'.repeat(64) }]) {
      expect(recordHash({ ...base, ...change })).not.toBe(h);
    }
    // Field boundaries cannot be shifted: "ab"+"c" and "a"+"bc" hash differently.
    expect(recordHash({ ...base, actor: 'ab', action: 'c' })).not.toBe(
      recordHash({ ...base, actor: 'a', action: 'bc' }),
    );
  });
});

describe.each(['sqlite', 'postgres'] as const)('audit chain on %s', (backend) => {
  it('links every record to the one before, writes request records with their events, and verifies', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 4 });
    await appendN(env, 3);
    const requests = [
      requestRecord({ subject: 'alice@example.com', detail: { subject: 'alice@example.com', findings: [] } }),
      requestRecord({ outcome: 'refused', status: 400, errorCode: 'content_blocked', keyId: 'key_b' }),
    ];
    await env.audit.requestLog().append(requests);
    const rows = await env.raw('select * from audit_log order by seq');
    expect(rows.map((r) => Number(r['seq']))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!['prev_hash']).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!['prev_hash']).toBe(rows[i - 1]!['hash']);
    expect(rows[3]).toMatchObject({ action: 'request', outcome: 'allowed', actor: 'key:key_a' });
    expect(rows[4]).toMatchObject({ action: 'request', outcome: 'refused', target: 'POST /v1/chat/completions' });
    // The request log and the audit log were written together.
    expect((await env.raw('select subject from request_log order by seq')).map((r) => r['subject'])).toEqual([
      'alice@example.com',
      null,
    ]);
    // The audit tables never hold the subject id, only a pseudonym.
    expect(String(rows[3]!['subject'])).toMatch(/^ps_/);
    for (const table of ['audit_log', 'audit_subjects', 'audit_checkpoints']) {
      expect(JSON.stringify(await env.raw(`select * from ${table}`))).not.toContain('alice');
    }
    // A checkpoint was written when the chain crossed seq 4.
    const cps = await env.raw('select seq from audit_checkpoints');
    expect(cps.map((c) => Number(c['seq']))).toEqual([5]);

    const report = await env.audit.verify();
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({
      tenantId: 'default',
      records: 5,
      firstSeq: 1,
      lastSeq: 5,
      checkpoints: 1,
    });
  });

  it('keeps one chain per tenant', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 2, 'acme');
    await appendN(env, 3, 'globex');
    await env.audit.requestLog().append([requestRecord({ tenantId: 'acme' }), requestRecord({ tenantId: 'globex' })]);
    const rows = await env.raw('select tenant_id, seq from audit_log order by tenant_id, seq');
    expect(rows.map((r) => `${r['tenant_id']}:${r['seq']}`)).toEqual([
      'acme:1',
      'acme:2',
      'acme:3',
      'globex:1',
      'globex:2',
      'globex:3',
      'globex:4',
    ]);
    expect((await env.audit.verify()).ok).toBe(true);
  });

  it('detects a changed record: hash mismatch at its seq', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 6);
    await env.raw(`update audit_log set outcome = 'failure' where seq = 3`);
    const report = await env.audit.verify();
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual(['changed@3']);
    expect(report.chains[0]!.problems[0]!.message).toContain('seq 3 was changed');
  });

  it('detects a changed record whose hash was recomputed: the next record no longer links, the checkpoint disagrees', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 5 });
    await appendN(env, 6);
    const [row] = await env.raw('select * from audit_log where seq = 3');
    const forged: Omit<AuditRecord, 'hash'> = {
      tenantId: String(row!['tenant_id']),
      seq: 3,
      at: new Date(Number(row!['at'])),
      actor: 'key:innocent',
      keyId: null,
      subject: null,
      action: String(row!['action']),
      outcome: String(row!['outcome']),
      target: row!['target'] as string | null,
      detail: row!['detail'] as string | null,
      prevHash: String(row!['prev_hash']),
    };
    await env.raw(`update audit_log set actor = 'key:innocent', hash = '${recordHash(forged)}' where seq = 3`);
    expect(kinds(await env.audit.verify())).toEqual(['link@4']);
    // Rewriting the whole tail to match still cannot forge the signed checkpoint.
    let prev = recordHash(forged);
    for (const seq of [4, 5, 6]) {
      const [r] = await env.raw(`select * from audit_log where seq = ${seq}`);
      const body: Omit<AuditRecord, 'hash'> = {
        tenantId: String(r!['tenant_id']),
        seq,
        at: new Date(Number(r!['at'])),
        actor: String(r!['actor']),
        keyId: r!['key_id'] as string | null,
        subject: r!['subject'] as string | null,
        action: String(r!['action']),
        outcome: String(r!['outcome']),
        target: r!['target'] as string | null,
        detail: r!['detail'] as string | null,
        prevHash: prev,
      };
      prev = recordHash(body);
      await env.raw(`update audit_log set prev_hash = '${body.prevHash}', hash = '${prev}' where seq = ${seq}`);
    }
    expect(kinds(await env.audit.verify())).toEqual(['checkpoint@5']);
    // And re-pointing the checkpoint at the forged hash breaks its signature.
    const [cp] = await env.raw('select hash from audit_log where seq = 5');
    await env.raw(`update audit_checkpoints set hash = '${cp!['hash']}' where seq = 5`);
    expect(kinds(await env.audit.verify())).toEqual(['checkpoint@5']);
    expect((await env.audit.verify()).chains[0]!.problems[0]!.message).toContain('invalid signature');
  });

  it('detects a deleted record: a gap at its seq', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 6);
    await env.raw('delete from audit_log where seq = 4');
    const report = await env.audit.verify();
    expect(kinds(report)).toEqual(['missing@4']);
    expect(report.chains[0]!.problems[0]!.message).toContain('seq 4 is missing');
  });

  it('detects deleted records renumbered to close the gap: the link breaks where they were', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 6);
    await env.raw('delete from audit_log where seq = 3');
    for (const seq of [4, 5, 6]) await env.raw(`update audit_log set seq = ${seq - 1} where seq = ${seq}`);
    const found = kinds(await env.audit.verify());
    // Each renumbered record's hash still says where it was: reported as moved, from seq 3 on.
    expect(found[0]).toBe('reordered@3');
    expect(found.every((k) => k.startsWith('reordered@'))).toBe(true);
  });

  it('detects reordering: both swapped records are reported as moved', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 6);
    // Swap seq 2 and 5 through a free value (the primary key forbids a direct swap).
    await env.raw('update audit_log set seq = 1000 where seq = 2');
    await env.raw('update audit_log set seq = 2 where seq = 5');
    await env.raw('update audit_log set seq = 5 where seq = 1000');
    const report = await env.audit.verify();
    expect(kinds(report)).toEqual(['reordered@2', 'reordered@5']);
    expect(report.chains[0]!.problems[0]!.message).toContain('moved there from seq 5');
  });

  it('detects a truncated tail through a checkpoint, and deleted first records', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 5 });
    await appendN(env, 7);
    await env.raw('delete from audit_log where seq >= 4');
    const report = await env.audit.verify();
    expect(kinds(report)).toEqual(['truncated@4']);
    expect(report.chains[0]!.problems[0]!.message).toContain(
      'the log ends at seq 3 but a checkpoint vouches for seq 5',
    );

    const head = await dbs.open(backend);
    await appendN(head, 4);
    await head.raw('delete from audit_log where seq <= 2');
    expect(kinds(await head.audit.verify())).toEqual(['missing@1']);
  });

  it('refuses an anchor that no retention purge accounts for', async () => {
    const env = await dbs.open(backend);
    await appendN(env, 5);
    await env.audit.checkpoint('default');
    await appendN(env, 2);
    // Deleting everything up to a checkpoint looks like retention, except that no purge record says so.
    await env.raw('delete from audit_log where seq <= 5');
    expect(kinds(await env.audit.verify())).toEqual(['anchor@6']);
  });

  it('verifies without the checkpoint key (an auditor with an export), but not with a wrong one', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 2 });
    await appendN(env, 4);
    const k = () => createSecretKey(randomBytes(32));
    const wrong = new AuditService(env.store, { subjectKey: k(), checkpointKey: k() }, { checkpointEvery: 0 });
    expect(kinds(await wrong.verify())).toEqual(['checkpoint@2', 'checkpoint@4']);
  });

  it('keeps the chain whole under concurrent appends from several replicas', async () => {
    const env = await dbs.open(backend, { checkpointEvery: 50 });
    const replicas = [env.store, ...(backend === 'postgres' ? [await env.reopen(), await env.reopen()] : [])];
    const services = replicas.map((s) => new AuditService(s, env.keys, { checkpointEvery: 50 }));
    await Promise.all(
      services.flatMap((svc, r) =>
        Array.from({ length: 10 }, (_, b) =>
          svc
            .requestLog()
            .append(
              Array.from({ length: 8 }, (_, i) =>
                requestRecord({ tenantId: i % 2 ? 'acme' : 'default', id: `req_${r}_${b}_${i}` }),
              ),
            ),
        ),
      ),
    );
    const report = await env.audit.verify();
    expect(report.ok).toBe(true);
    const total = services.length * 80;
    expect(report.chains.reduce((n, c) => n + c.records, 0)).toBe(total);
    const [count] = await env.raw('select count(*) as n from request_log');
    expect(Number(count!['n'])).toBe(total);
  });
});

describe('audit chain on SQLite with several processes', () => {
  it('keeps one unbroken chain while separate processes append to the same file', async () => {
    const env = await dbs.open('sqlite');
    const file = env.url.replace(/^sqlite:/, '');
    const node = resolve(import.meta.dirname, '../../../node_modules/.bin/node');
    const worker = resolve(import.meta.dirname, 'helpers/audit-append-worker.ts');
    const exits = await Promise.all(
      [1, 2, 3].map(
        (w) =>
          new Promise<{ code: number | null; err: string }>((done) => {
            const p = spawn(node, [worker, file, String(w), '20'], { stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            p.stderr.on('data', (d) => {
              err += String(d);
            });
            p.on('close', (code) => done({ code, err }));
          }),
      ),
    );
    for (const e of exits) expect(e.code, e.err).toBe(0);
    const fixed = (b: number) => createSecretKey(Buffer.alloc(32, b));
    const audit = new AuditService(
      env.store,
      { subjectKey: fixed(1), checkpointKey: fixed(2) },
      { checkpointEvery: 0 },
    );
    const report = await audit.verify();
    expect(report.ok, JSON.stringify(report.chains[0]?.problems)).toBe(true);
    expect(report.chains[0]).toMatchObject({ records: 300, firstSeq: 1, lastSeq: 300 });
    // Every process saw the same subjects: one pseudonym each, whoever minted it.
    const [n] = await env.raw('select count(*) as n from audit_subjects');
    expect(Number(n!['n'])).toBe(5);
  });
});
