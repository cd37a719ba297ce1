import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushed, startTestGateway, type TestGateway } from './helpers/gateway.ts';

// Every kind of bad input gets a clear 4xx in the API's own error shape with a stable code,
// and the process keeps serving.

let t: TestGateway;
let key: string;

beforeAll(async () => {
  t = await startTestGateway({ 'server.bodyLimitBytes': 4096 });
  key = await t.key({ name: 'bad-input' });
});
afterAll(() => t.close());

interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function send(path: string, init: RequestInit & { key?: string | null; json?: unknown } = {}): Promise<Sent> {
  const headers = new Headers(init.headers);
  const k = init.key === undefined ? key : init.key;
  if (k !== null) headers.set('authorization', `Bearer ${k}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('content-type', 'application/json');
  }
  const res = await fetch(`${t.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const code = (s: Sent) => (s.body.error as { code?: string } | undefined)?.code;
const chat = { model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] };

async function stillServing() {
  const res = await send('/v1/chat/completions', { json: chat });
  expect(res.status).toBe(200);
}

describe('authentication', () => {
  it('refuses a missing key with 401 missing_api_key', async () => {
    const res = await send('/v1/chat/completions', { key: null, json: chat });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('missing_api_key');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses malformed, random and look-alike keys with 401 invalid_api_key', async () => {
    for (const k of ['x', 'Bearer', 'pcx_live_', `${key}x`, key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const res = await send('/v1/chat/completions', { key: k, json: chat });
      expect(res.status, k.slice(0, 12)).toBe(401);
      expect(code(res)).toBe('invalid_api_key');
    }
    const res = await send('/v1/models', { key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(code(res)).toBe('invalid_api_key');
  });

  it('accepts the key in x-api-key too', async () => {
    const res = await send('/v1/models', { key: null, headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
  });

  it('refuses a revoked key with revoked_api_key', async () => {
    const { key: rec, secret } = await t.gw.core.keys.create({ name: 'to-revoke' });
    expect((await send('/v1/models', { key: secret })).status).toBe(200);
    await t.gw.core.keys.revoke(rec.id);
    const res = await send('/v1/models', { key: secret });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('revoked_api_key');
  });

  it('refuses an expired key with expired_api_key', async () => {
    const { secret } = await t.gw.core.keys.create({ name: 'old', expiresAt: new Date(Date.now() - 1000) });
    const res = await send('/v1/models', { key: secret });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('expired_api_key');
  });

  it('applies authentication to unknown paths too (deny by default)', async () => {
    const anon = await send('/v1/does-not-exist', { key: null });
    expect(anon.status).toBe(401);
    const authed = await send('/v1/does-not-exist');
    expect(authed.status).toBe(404);
    expect(code(authed)).toBe('not_found');
    const admin = await send('/admin/anything', { key: null, method: 'DELETE' });
    expect(admin.status).toBe(401);
  });

  it('leaves health endpoints public and metrics protected', async () => {
    expect((await send('/healthz', { key: null })).status).toBe(200);
    expect((await send('/readyz', { key: null })).status).toBe(200);
    expect((await send('/metrics', { key: null })).status).toBe(401);
    const scoped = await send('/metrics');
    expect(scoped.status).toBe(403);
    expect(code(scoped)).toBe('scope_denied');
    const admin = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('portcullis_requests_total');
  });
});

describe('authorization', () => {
  it('refuses an endpoint outside the key scopes with 403 scope_denied, in each API shape', async () => {
    const modelsOnly = await t.key({ name: 'models-only', scopes: ['models'] });
    const res = await send('/v1/chat/completions', { key: modelsOnly, json: chat });
    expect(res.status).toBe(403);
    expect(code(res)).toBe('scope_denied');
    const anth = await send('/v1/messages', {
      key: modelsOnly,
      json: { model: 'mock-1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(anth.status).toBe(403);
    expect(anth.body.type).toBe('error');
    expect((anth.body.error as { code: string }).code).toBe('scope_denied');
    expect((await send('/v1/models', { key: modelsOnly })).status).toBe(200);
  });

  it('refuses a model outside the key allowlist with 403 model_not_allowed and hides it from /v1/models', async () => {
    const other = await t.key({ name: 'other-models', models: ['gpt-4o*'] });
    const res = await send('/v1/chat/completions', { key: other, json: chat });
    expect(res.status).toBe(403);
    expect(code(res)).toBe('model_not_allowed');
    const list = await send('/v1/models', { key: other });
    expect((list.body.data as unknown[]).length).toBe(0);
  });
});

describe('malformed requests', () => {
  it('rejects malformed JSON with 400 invalid_json', async () => {
    const res = await send('/v1/chat/completions', {
      body: '{"model": "mock-1", "messages": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(code(res)).toBe('invalid_json');
    await stillServing();
  });

  it('rejects an empty body and a non-object body', async () => {
    const empty = await send('/v1/chat/completions', {
      method: 'POST',
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    const arr = await send('/v1/chat/completions', { json: [1, 2, 3] });
    expect(arr.status).toBe(400);
    expect(code(arr)).toBe('invalid_request');
  });

  it('rejects wrong types and names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...chat, model: 42 }, 'model'],
      [{ ...chat, messages: 'hi' }, 'messages'],
      [{ ...chat, messages: [] }, 'messages'],
      [{ ...chat, messages: [{ role: 'wizard', content: 'x' }] }, 'messages.0.role'],
      [{ ...chat, temperature: 'hot' }, 'temperature'],
      [{ ...chat, temperature: 9 }, 'temperature'],
      [{ ...chat, stream: 'yes' }, 'stream'],
      [{ ...chat, n: 3 }, 'n'],
      [
        { ...chat, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
        'messages',
      ],
    ];
    for (const [body, param] of cases) {
      const res = await send('/v1/chat/completions', { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(code(res)).toBe('invalid_request');
      expect(String((res.body.error as { param: string }).param)).toContain(param);
    }
    await stillServing();
  });

  it('rejects an Anthropic request without max_tokens in Anthropic shape', async () => {
    const res = await send('/v1/messages', { json: { model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] } });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('error');
    expect((res.body.error as { type: string }).type).toBe('invalid_request_error');
    expect((res.body.error as { message: string }).message).toContain('max_tokens');
  });

  it('rejects oversized bodies with 413 body_too_large', async () => {
    const big = { model: 'mock-1', messages: [{ role: 'user', content: 'x'.repeat(8000) }] };
    const res = await send('/v1/chat/completions', { json: big });
    expect(res.status).toBe(413);
    expect(code(res)).toBe('body_too_large');
    await stillServing();
  });

  it('rejects a non-JSON content type with 415', async () => {
    const res = await send('/v1/chat/completions', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(code(res)).toBe('unsupported_media_type');
  });

  it('rejects prototype-poisoning JSON', async () => {
    const res = await send('/v1/chat/completions', {
      body: '{"model":"mock-1","__proto__":{"admin":true},"messages":[{"role":"user","content":"hi"}]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(code(res)).toBe('invalid_json');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('rejects unknown models with 404 model_not_found', async () => {
    const res = await send('/v1/chat/completions', { json: { ...chat, model: 'gpt-nonexistent' } });
    expect(res.status).toBe(404);
    expect(code(res)).toBe('model_not_found');
  });

  it('handles unicode tricks in model names and content without crashing', async () => {
    const weird = await send('/v1/chat/completions', { json: { ...chat, model: 'mock\u202e-1\u0000' } });
    expect(weird.status).toBe(404);
    const content = await send('/v1/chat/completions', {
      json: { model: 'mock-1', messages: [{ role: 'user', content: '\ud800 lone surrogate \u200b\u202e 😀' }] },
    });
    expect(content.status).toBe(200);
  });

  it('never takes the upstream host from the request', async () => {
    const res = await send('/v1/chat/completions', {
      json: { ...chat, base_url: 'http://169.254.169.254/', api_base: 'http://evil.example' },
      headers: { 'x-forwarded-host': 'evil.example', 'x-upstream-url': 'http://evil.example' },
    });
    expect(res.status).toBe(200);
    expect((res.body as { model: string }).model).toBe('mock-1');
  });

  it('records every refusal with its code', async () => {
    const res = await send('/v1/chat/completions', { key: null, json: chat });
    const id = res.headers.get('x-request-id');
    await flushed(t);
    const rows = await t.gw.core.store.requests.query({ outcome: 'refused', limit: 1000 });
    const row = rows.find((r) => r.id === id);
    expect(row).toMatchObject({ status: 401, outcome: 'refused', errorCode: 'missing_api_key', keyId: null });
  });

  it('never writes a key or a provider secret to the logs', async () => {
    await flushed(t);
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(key);
    expect(all).not.toContain(t.adminKey);
  });
});
