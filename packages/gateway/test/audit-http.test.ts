// biome-ignore-all lint/suspicious/noExplicitAny: JSON response bodies are checked field by field by the assertions
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushed, startTestGateway, type TestGateway } from './helpers/gateway.ts';

// The audit and privacy endpoints on a real gateway over HTTP: every request leaves an audit event, end users are
// recorded by pseudonym, filters are validated, exports stream, verification finds tampering done on the database
// file, and privacy requests work end to end.

let t: TestGateway;
let dbFile: string;

async function call(method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}
const admin = (method: string, path: string, body?: unknown) => call(method, path, { key: t.adminKey, body });

const prompt = {
  id: 'greet',
  description: 'Greets',
  model: 'mock-1',
  system: 'Be brief.',
  user: 'Say hello to {{name}}',
  variables: { name: { type: 'string', maxLength: 100 } },
};

beforeAll(async () => {
  t = await startTestGateway();
  dbFile = t.config.storage.url.replace(/^sqlite:/, '');
  expect((await admin('POST', '/v1/admin/prompts', prompt)).status).toBe(201);
});
afterAll(async () => {
  await t.close();
});

describe('audit events from real traffic', () => {
  it('records allowed and refused requests with actor, route and outcome, and the end user only by pseudonym', async () => {
    const key = await t.key({ name: 'app', scopes: ['execute', 'tokens', 'models'] });
    expect((await call('GET', '/v1/models', { key })).status).toBe(200);
    expect((await call('GET', '/v1/models', { key: 'pcx_live_not_a_key' })).status).toBe(401);
    const minted = await call('POST', '/v1/client-tokens', {
      key,
      body: { prompts: ['greet'], subject: 'user-123@example.com' },
    });
    expect(minted.status).toBe(201);
    const exec = await call('POST', '/v1/prompts/greet/execute', {
      key: minted.body.token,
      body: { variables: { name: 'Ann' } },
    });
    expect(exec.status).toBe(200);
    await flushed(t);

    const all = await admin('GET', '/v1/admin/audit?action=request&order=asc');
    expect(all.status).toBe(200);
    const targets = all.body.data.map((r: any) => `${r.actor} ${r.target} ${r.outcome}`);
    expect(targets).toContain('anonymous GET /v1/models refused');
    expect(targets.some((s: string) => /^key:key_\S+ POST \/v1\/prompts\/:id\/execute allowed$/.test(s))).toBe(true);

    const mine = await admin('GET', `/v1/admin/audit?subject=${encodeURIComponent('user-123@example.com')}&order=asc`);
    expect(mine.body.data.map((r: any) => r.target)).toEqual([
      'POST /v1/client-tokens',
      'POST /v1/prompts/:id/execute',
    ]);
    expect(mine.body.data[1].subject).toMatch(/^ps_/);
    expect(mine.body.data[1].detail).toMatchObject({ prompt: { id: 'greet', version: 1 }, status: 200 });
    expect(JSON.stringify(mine.body)).not.toContain('user-123');

    // Admin changes are recorded by the admin routes too (here: a key created over the API).
    const created = await admin('POST', '/v1/admin/keys', { name: 'ci', scopes: ['models'] });
    expect(created.status, created.text).toBe(201);
    const changes = await admin('GET', '/v1/admin/audit?action=key.create');
    expect(changes.body.data[0]).toMatchObject({ action: 'key.create', outcome: 'success', target: created.body.id });
  });

  it('validates filters: injection attempts are plain values or refused with the field named', async () => {
    const inj = encodeURIComponent("' OR '1'='1' --");
    for (const field of ['actor', 'subject', 'target']) {
      const r = await admin('GET', `/v1/admin/audit?${field}=${inj}`);
      expect(r.status, field).toBe(200);
      expect(r.body.data).toEqual([]);
    }
    const bad = await admin('GET', `/v1/admin/audit?action=${inj}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', param: 'action' });
    const unknown = await admin('GET', '/v1/admin/audit?tenant=other');
    expect(unknown.status).toBe(400);
    expect((await admin('GET', '/v1/admin/audit?limit=0')).body.error.param).toBe('limit');
    expect((await admin('GET', '/v1/admin/audit?since=yesterday')).body.error.param).toBe('since');
  });

  it('pages with a cursor', async () => {
    const p1 = await admin('GET', '/v1/admin/audit?limit=2');
    expect(p1.body.data).toHaveLength(2);
    expect(p1.body.nextCursor).toBe(p1.body.data[1].seq);
    const p2 = await admin('GET', `/v1/admin/audit?limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.data[0].seq).toBe(p1.body.nextCursor - 1);
  });

  it('exports JSON Lines and CSV', async () => {
    const jsonl = await admin('GET', '/v1/admin/audit/export?format=jsonl&action=request');
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.action === 'request')).toBe(true);
    const csv = await admin('GET', '/v1/admin/audit/export?format=csv&outcome=refused');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'seq,tenant,at,actor,key,subject,action,outcome,target,detail,prev_hash,hash',
    );
    expect((await admin('GET', '/v1/admin/audit/export?format=xml')).status).toBe(400);
    const recorded = await admin('GET', '/v1/admin/audit?action=audit.export');
    expect(recorded.body.data.map((r: any) => r.target)).toEqual(['csv', 'jsonl']);
  });

  it('refuses callers without the audit permission', async () => {
    const user = await t.key({ name: 'plain', scopes: ['models'] });
    for (const [m, p, b] of [
      ['GET', '/v1/admin/audit', undefined],
      ['GET', '/v1/admin/audit/export', undefined],
      ['POST', '/v1/admin/audit/verify', {}],
      ['POST', '/v1/admin/privacy/export', { subject: 'x' }],
      ['POST', '/v1/admin/privacy/erase', { subject: 'x' }],
    ] as const) {
      const r = await call(m, p, { key: user, body: b });
      expect(r.status, p).toBe(403);
    }
  });
});

describe('privacy requests over HTTP', () => {
  it('exports and erases a subject; afterwards nothing about them is returned', async () => {
    const subject = 'user-123@example.com';
    const exported = await admin('POST', '/v1/admin/privacy/export', { subject });
    expect(exported.status).toBe(200);
    expect(exported.body.requestLog.map((r: any) => r.route)).toEqual(['/v1/client-tokens', '/v1/prompts/:id/execute']);
    expect(exported.body.auditEvents.length).toBeGreaterThanOrEqual(2);

    const erased = await admin('POST', '/v1/admin/privacy/erase', { subject });
    expect(erased.status).toBe(200);
    expect(erased.body.removed).toMatchObject({ requestLog: 2, auditSubjectLinks: 1 });

    const again = await admin('POST', '/v1/admin/privacy/export', { subject });
    expect(again.body).toMatchObject({ pseudonym: null, requestLog: [], executionOutputs: [], auditEvents: [] });
    expect((await admin('GET', `/v1/admin/audit?subject=${encodeURIComponent(subject)}`)).body.data).toEqual([]);
    expect((await admin('POST', '/v1/admin/privacy/erase', { subject: '' })).status).toBe(400);
    expect((await admin('POST', '/v1/admin/privacy/erase', { subject: 'x', extra: 1 })).status).toBe(400);
  });
});

describe('verification over HTTP', () => {
  it('reports ok, then the seq of a record changed in the database file', async () => {
    await flushed(t);
    const ok = await admin('POST', '/v1/admin/audit/verify', {});
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.chain.records).toBeGreaterThan(5);

    const db = new Database(dbFile);
    try {
      db.prepare(`update audit_log set actor = 'key:forged' where tenant_id = 'default' and seq = 2`).run();
    } finally {
      db.close();
    }
    const broken = await admin('POST', '/v1/admin/audit/verify');
    expect(broken.body.ok).toBe(false);
    expect(broken.body.chain.problems).toEqual([
      { kind: 'changed', seq: 2, message: expect.stringContaining('seq 2 was changed') },
    ]);
  });
});
