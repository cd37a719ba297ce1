// biome-ignore-all lint/suspicious/noExplicitAny: JSON response bodies are checked field by field by the assertions
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSpecs } from '../src/http/route.ts';
import { can, type Resource, type Verb } from '../src/identity/rbac.ts';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';

// Tenants, roles, keys, end-user JWTs and the admin API's authorization matrix, over real HTTP.

let t: TestGateway;
let tenantBAdmin: string;

async function call(
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

const prompt = (id: string) => ({
  id,
  model: 'mock-1',
  user: 'Summarise: {{text}}',
  variables: { text: { type: 'string', maxLength: 500 } },
});

beforeAll(async () => {
  t = await startTestGateway();
  const created = await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'acme', name: 'Acme' });
  expect(created.status).toBe(201);
  tenantBAdmin = created.body.adminKey.key;
});
afterAll(async () => {
  await t.close();
});

describe('the authorization matrix', () => {
  it('refuses every forbidden cell and lets every allowed one through, for every admin route and role', async () => {
    // A custom role in the default tenant, and one principal of every kind.
    expect(
      (
        await call('POST', '/v1/admin/roles', t.adminKey, {
          name: 'prompt-author',
          permissions: ['prompts:read', 'prompts:write'],
        })
      ).status,
    ).toBe(201);
    const mk = async (role: string) =>
      (await call('POST', '/v1/admin/keys', t.adminKey, { name: `matrix ${role}`, role, scopes: ['*'] })).body
        .key as string;
    const principals: Record<string, { key: string; perms: readonly string[] }> = {
      admin: { key: t.adminKey, perms: ['*', 'tenants:read', 'tenants:write', 'tenants:delete'] },
      'admin of another tenant': { key: tenantBAdmin, perms: ['*'] },
      editor: { key: await mk('editor'), perms: ['*:read', '*:write'] },
      viewer: { key: await mk('viewer'), perms: ['*:read'] },
      'custom prompt-author': { key: await mk('prompt-author'), perms: ['prompts:read', 'prompts:write'] },
      'caller key': { key: await mk('user'), perms: [] },
    };
    const execKey = (
      await call('POST', '/v1/admin/keys', t.adminKey, { name: 'minter', scopes: ['execute', 'tokens'] })
    ).body.key;
    await call('POST', '/v1/admin/prompts', t.adminKey, prompt('matrix'));
    const token = (await call('POST', '/v1/client-tokens', execKey, { prompts: ['matrix'] })).body.token;
    principals['client token'] = { key: token, perms: [] };

    const routes = routeSpecs(t.gw.app).filter((r) => 'permission' in r.access || 'role' in r.access);
    expect(routes.length).toBeGreaterThan(25);
    const cells: string[] = [];
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, 'nonexistent');
      const body = route.method === 'POST' || route.method === 'PUT' ? {} : undefined;
      for (const [who, p] of Object.entries(principals)) {
        const access = route.access as { permission?: string };
        let allowed = p.perms.includes('*');
        if (access.permission) {
          const [resource, verb] = access.permission.split(':') as [Resource, Verb];
          allowed = can(p.perms, resource, verb);
        }
        const res = await call(route.method, path, p.key, body);
        const refused = res.status === 403;
        if (allowed === refused || res.status === 401 || res.status >= 500) {
          cells.push(
            `${route.method} ${route.url} as ${who}: expected ${allowed ? 'allowed' : '403'}, got ${res.status}`,
          );
        }
      }
    }
    expect(cells).toEqual([]);
  });

  it('keeps every tenant to its own objects, even when another tenant’s ids are known', async () => {
    // Tenant acme creates one of everything.
    expect((await call('POST', '/v1/admin/prompts', tenantBAdmin, prompt('acme-secret'))).status).toBe(201);
    const bKey = (await call('POST', '/v1/admin/keys', tenantBAdmin, { name: 'acme app', scopes: ['execute'] })).body;
    const bUser = (
      await call('POST', '/v1/admin/users', tenantBAdmin, { email: 'ann@acme.test', name: 'Ann', role: 'viewer' })
    ).body;
    expect(
      (await call('POST', '/v1/admin/roles', tenantBAdmin, { name: 'acme-role', permissions: ['audit:read'] })).status,
    ).toBe(201);
    expect((await call('POST', '/v1/admin/projects', tenantBAdmin, { id: 'acme-proj', name: 'P' })).status).toBe(201);
    expect(
      (
        await call('POST', '/v1/admin/providers', tenantBAdmin, {
          name: 'acme-llm',
          kind: 'openai',
          apiKey: 'sk-acme',
          models: ['acme-model'],
        })
      ).status,
    ).toBe(201);

    // The default tenant's admin (also the operator) sees none of it and can touch none of it.
    const a = t.adminKey;
    expect((await call('GET', '/v1/admin/prompts/acme-secret', a)).status).toBe(404);
    expect((await call('GET', `/v1/admin/keys/${bKey.id}`, a)).status).toBe(404);
    expect((await call('DELETE', `/v1/admin/keys/${bKey.id}`, a)).status).toBe(404);
    expect((await call('POST', `/v1/admin/keys/${bKey.id}/rotate`, a, {})).status).toBe(404);
    expect((await call('GET', `/v1/admin/users/${bUser.id}`, a)).status).toBe(404);
    expect((await call('POST', `/v1/admin/users/${bUser.id}`, a, { role: 'admin' })).status).toBe(404);
    expect((await call('DELETE', `/v1/admin/users/${bUser.id}`, a)).status).toBe(404);
    expect((await call('DELETE', '/v1/admin/roles/acme-role', a)).status).toBe(404);
    expect((await call('DELETE', '/v1/admin/projects/acme-proj', a)).status).toBe(404);
    expect((await call('DELETE', '/v1/admin/providers/acme-llm', a)).status).toBe(404);
    for (const list of ['prompts', 'keys', 'users', 'roles', 'projects', 'providers']) {
      const text = JSON.stringify((await call('GET', `/v1/admin/${list}`, a)).body);
      expect(text).not.toMatch(/acme/);
    }
    // Nor can its keys run acme's prompt or reach acme's provider.
    const own = (await call('POST', '/v1/admin/keys', a, { name: 'own', scopes: ['execute', 'chat', 'models'] })).body
      .key;
    expect((await call('POST', '/v1/prompts/acme-secret/execute', own, { variables: { text: 'x' } })).status).toBe(404);
    const models = (await call('GET', '/v1/models', own)).body.data.map((m: any) => m.id);
    expect(models).not.toContain('acme-model');
    expect((await call('GET', '/v1/models', bKey.key)).status).toBe(403);
    // acme's own key still works after the attempts.
    expect((await call('POST', '/v1/prompts/acme-secret/execute', bKey.key, { variables: { text: 'x' } })).status).toBe(
      200,
    );
    // And acme's admin is not the operator.
    expect((await call('GET', '/v1/admin/tenants', tenantBAdmin)).status).toBe(403);
    expect((await call('POST', '/v1/admin/tenants/default/pause', tenantBAdmin, {})).status).toBe(403);
  });
});

describe('roles and escalation', () => {
  it('never lets anyone hand out more than they hold', async () => {
    const editor = (await call('POST', '/v1/admin/keys', t.adminKey, { name: 'ed', role: 'editor' })).body.key;
    expect((await call('POST', '/v1/admin/keys', editor, { name: 'up', role: 'admin' })).body.error.code).toBe(
      'forbidden',
    );
    expect((await call('POST', '/v1/admin/keys', editor, { name: 'same', role: 'editor' })).status).toBe(201);
    expect(
      (await call('POST', '/v1/admin/users', editor, { email: 'x@y.test', name: 'X', role: 'viewer' })).status,
    ).toBe(403);
    const admin = await call('POST', '/v1/admin/users', t.adminKey, {
      email: 'boss@y.test',
      name: 'Boss',
      role: 'admin',
    });
    expect(admin.status).toBe(201);
    const teamLead = await call('POST', '/v1/admin/roles', t.adminKey, {
      name: 'team-lead',
      permissions: ['team:manage', '*:read'],
    });
    expect(teamLead.status).toBe(201);
    const lead = (await call('POST', '/v1/admin/keys', t.adminKey, { name: 'lead', role: 'team-lead' })).body.key;
    // A team lead manages people but cannot make anyone an editor or an admin, nor touch an admin.
    expect((await call('POST', '/v1/admin/users', lead, { email: 'v@y.test', name: 'V', role: 'viewer' })).status).toBe(
      201,
    );
    expect((await call('POST', '/v1/admin/users', lead, { email: 'e@y.test', name: 'E', role: 'editor' })).status).toBe(
      403,
    );
    expect((await call('POST', `/v1/admin/users/${admin.body.id}`, lead, { disabled: true })).status).toBe(403);
    expect((await call('POST', '/v1/admin/roles', lead, { name: 'sneaky', permissions: ['*'] })).status).toBe(403);
    expect(
      (await call('POST', '/v1/admin/roles', t.adminKey, { name: 'ops', permissions: ['tenants:write'] })).status,
    ).toBe(400);
    expect((await call('POST', '/v1/admin/roles', t.adminKey, { name: 'admin', permissions: ['*'] })).status).toBe(409);
    expect((await call('DELETE', '/v1/admin/roles/team-lead', t.adminKey)).status).toBe(409);
    expect((await call('DELETE', '/v1/admin/roles/editor', t.adminKey)).status).toBe(400);
  });

  it('lets a key act for a user, with the user’s current role, until the user is disabled', async () => {
    const user = (
      await call('POST', '/v1/admin/users', t.adminKey, { email: 'dev@y.test', name: 'Dev', role: 'viewer' })
    ).body;
    const key = (await call('POST', '/v1/admin/keys', t.adminKey, { name: 'dev cli', userId: user.id })).body.key;
    expect((await call('GET', '/v1/admin/prompts', key)).status).toBe(200);
    expect((await call('POST', '/v1/admin/prompts', key, prompt('by-dev'))).status).toBe(403);
    await call('POST', `/v1/admin/users/${user.id}`, t.adminKey, { role: 'editor' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('POST', '/v1/admin/prompts', key, prompt('by-dev'))).status).toBe(201);
    await call('POST', `/v1/admin/users/${user.id}`, t.adminKey, { disabled: true });
    await new Promise((r) => setTimeout(r, 1100));
    const refused = await call('GET', '/v1/admin/prompts', key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('revoked_api_key');
  });

  it('refuses to leave a tenant without an admin', async () => {
    const solo = (await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'solo', name: 'Solo' })).body;
    const res = await call('DELETE', `/v1/admin/keys/${solo.adminKey.id}`, solo.adminKey.key);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('last admin');
  });
});

describe('tenants', () => {
  it('pauses a tenant on every request of its keys and resumes it; only the operator can', async () => {
    const created = (await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'pausable', name: 'P' })).body;
    const key = created.adminKey.key;
    expect((await call('GET', '/v1/admin/prompts', key)).status).toBe(200);
    expect((await call('POST', '/v1/admin/tenants/pausable/pause', key, {})).status).toBe(403);
    expect((await call('POST', '/v1/admin/tenants/pausable/pause', t.adminKey, {})).body.status).toBe('paused');
    const paused = await call('GET', '/v1/admin/prompts', key);
    expect(paused.status).toBe(403);
    expect(paused.body.error.code).toBe('tenant_paused');
    expect((await call('POST', '/v1/admin/tenants/pausable/resume', t.adminKey, {})).body.status).toBe('active');
    expect((await call('GET', '/v1/admin/prompts', key)).status).toBe(200);
    expect((await call('POST', '/v1/admin/tenants/default/pause', t.adminKey, {})).status).toBe(400);
    expect((await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'pausable', name: 'again' })).status).toBe(409);
    expect((await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'Bad Id!', name: 'x' })).status).toBe(400);
  });
});

describe('API key restrictions', () => {
  it('honours IP allowlists and refuses malformed ranges', async () => {
    const elsewhere = (
      await call('POST', '/v1/admin/keys', t.adminKey, { name: 'far', scopes: ['models'], ipAllowlist: ['10.0.0.0/8'] })
    ).body.key;
    const refused = await call('GET', '/v1/models', elsewhere);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ip_not_allowed');
    const here = (
      await call('POST', '/v1/admin/keys', t.adminKey, {
        name: 'near',
        scopes: ['models'],
        ipAllowlist: ['10.0.0.0/8', '127.0.0.0/8', '::1'],
      })
    ).body.key;
    expect((await call('GET', '/v1/models', here)).status).toBe(200);
    for (const bad of ['10.0.0.0/33', 'localhost', '1.2.3', '::1/129', '10.0.0.0/-1']) {
      expect((await call('POST', '/v1/admin/keys', t.adminKey, { name: 'bad', ipAllowlist: [bad] })).status, bad).toBe(
        400,
      );
    }
  });

  it('limits a key with a project to that project’s prompts', async () => {
    await call('POST', '/v1/admin/projects', t.adminKey, { id: 'billing', name: 'Billing' });
    expect((await call('POST', '/v1/admin/keys', t.adminKey, { name: 'p', projectId: 'nope' })).status).toBe(404);
    const key = (
      await call('POST', '/v1/admin/keys', t.adminKey, { name: 'p', scopes: ['execute'], projectId: 'billing' })
    ).body;
    expect(key.projectId).toBe('billing');
    await call('POST', '/v1/admin/prompts', t.adminKey, { ...prompt('in-billing'), project: 'billing' });
    await call('POST', '/v1/admin/prompts', t.adminKey, prompt('outside'));
    expect((await call('POST', '/v1/prompts/in-billing/execute', key.key, { variables: { text: 'a' } })).status).toBe(
      200,
    );
    const other = await call('POST', '/v1/prompts/outside/execute', key.key, { variables: { text: 'a' } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('prompt_not_allowed');
  });
});

describe('end-user JWTs', () => {
  const ISS = 'https://idp.example.test/';
  const AUD = 'portcullis-app';
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let ed: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksServer: Server;
  let jwksUrl: string;

  const sign = (
    key: Parameters<SignJWT['sign']>[0],
    alg: string,
    claims: Record<string, unknown> = {},
    opts: { iss?: string; aud?: string; exp?: number | null; kid?: string } = {},
  ) => {
    let jwt = new SignJWT({ sub: 'end-user-7', ...claims })
      .setProtectedHeader({ alg, ...(opts.kid ? { kid: opts.kid } : {}) })
      .setIssuer(opts.iss ?? ISS)
      .setAudience(opts.aud ?? AUD)
      .setIssuedAt();
    if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300);
    return jwt.sign(key);
  };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    ed = await generateKeyPair('EdDSA', { extractable: true });
    const pub = async (k: Parameters<typeof exportJWK>[0], kid: string): Promise<JWK> => ({
      ...(await exportJWK(k)),
      kid,
    });
    const keys = [await pub(rsa.publicKey, 'r1'), await pub(ec.publicKey, 'e1'), await pub(ed.publicKey, 'd1')];
    const put = await call('PUT', '/v1/admin/settings/identity', t.adminKey, {
      issuer: ISS,
      audience: AUD,
      keys,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      scopes: ['execute'],
      prompts: ['jwt-*'],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await call('POST', '/v1/admin/prompts', t.adminKey, prompt('jwt-demo'));
    // A second tenant takes its keys from a JWKS URL.
    const jwksKey = await pub(rsa.publicKey, 'remote-1');
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwksKey] }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;
  });
  afterAll(() => {
    jwksServer?.close();
  });

  const exec = (token: string, id = 'jwt-demo') =>
    call('POST', `/v1/prompts/${id}/execute`, token, { variables: { text: 'hi' } });

  it('accepts RS256, ES256 and EdDSA tokens from the registered issuer and records the subject', async () => {
    for (const [key, alg] of [
      [rsa.privateKey, 'RS256'],
      [ec.privateKey, 'ES256'],
      [ed.privateKey, 'EdDSA'],
    ] as const) {
      const res = await exec(await sign(key, alg));
      expect(res.status, `${alg}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const res = await exec(await sign(rsa.privateKey, 'RS256', { sub: 'subject-abc' }));
    await t.gw.flushRequestLog();
    const [rec] = await t.gw.core.store.requests.query({ limit: 1 });
    expect(rec!.id).toBe(res.body.requestId);
    expect(rec!.detail).toMatchObject({ subject: 'subject-abc' });
  });

  it('refuses forged, expired, wrong-audience, unsigned and confused tokens with clear errors', async () => {
    const other = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const header = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${header({ alg: 'none', typ: 'JWT' })}.${header({ iss: ISS, aud: AUD, sub: 'x', exp: now + 300 })}.`;
    // Algorithm confusion: an HS256 token whose "secret" is the RSA public key.
    const publicPem = new TextEncoder().encode(JSON.stringify(await exportJWK(rsa.publicKey)));
    const cases: Array<[string, string | Promise<string>, string]> = [
      ['forged', sign(other.privateKey, 'RS256'), 'invalid_token'],
      ['expired', sign(rsa.privateKey, 'RS256', {}, { exp: now - 120 }), 'expired_token'],
      ['wrong audience', sign(rsa.privateKey, 'RS256', {}, { aud: 'someone-else' }), 'invalid_token'],
      ['unknown issuer', sign(rsa.privateKey, 'RS256', {}, { iss: 'https://evil.test/' }), 'invalid_token'],
      ['alg none', unsigned, 'invalid_token'],
      ['HS256 with the public key', sign(publicPem, 'HS256'), 'invalid_token'],
      ['no expiry', sign(rsa.privateKey, 'RS256', {}, { exp: null }), 'invalid_token'],
      ['subject too long', sign(rsa.privateKey, 'RS256', { sub: 'x'.repeat(300) }), 'invalid_token'],
      ['garbage', 'aaa.bbb.ccc', 'invalid_token'],
    ];
    for (const [name, token, code] of cases) {
      const res = await exec(await token);
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe(code);
    }
    // Within the allowed clock skew (30 s) a just-expired token still passes.
    expect((await exec(await sign(rsa.privateKey, 'RS256', {}, { exp: now - 5 }))).status).toBe(200);
  });

  it('gives end users only what the tenant allows them', async () => {
    const token = await sign(rsa.privateKey, 'RS256');
    await call('POST', '/v1/admin/prompts', t.adminKey, prompt('not-for-jwt'));
    expect((await exec(token, 'not-for-jwt')).body.error.code).toBe('prompt_not_allowed');
    expect((await call('GET', '/v1/admin/prompts', token)).status).toBe(403);
    expect((await call('GET', '/v1/models', token)).body.error.code).toBe('scope_denied');
  });

  it('fetches keys from a JWKS URL, and keeps issuers unique across tenants', async () => {
    const other = (await call('POST', '/v1/admin/tenants', t.adminKey, { id: 'jwks-tenant', name: 'J' })).body.adminKey
      .key;
    expect(
      (
        await call('PUT', '/v1/admin/settings/identity', other, {
          issuer: ISS,
          audience: 'x',
          jwksUrl,
          algorithms: ['RS256'],
        })
      ).status,
    ).toBe(409);
    const put = await call('PUT', '/v1/admin/settings/identity', other, {
      issuer: 'https://remote-idp.test/',
      audience: 'jwks-app',
      jwksUrl,
      algorithms: ['RS256'],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await call('POST', '/v1/admin/prompts', other, prompt('remote'));
    const token = await sign(
      rsa.privateKey,
      'RS256',
      {},
      { iss: 'https://remote-idp.test/', aud: 'jwks-app', kid: 'remote-1' },
    );
    expect((await exec(token, 'remote')).status).toBe(200);
    // The token of one tenant's issuer never reaches another tenant's prompts.
    expect((await exec(token, 'jwt-demo')).status).toBe(404);
  });

  it('validates identity settings', async () => {
    const bad: unknown[] = [
      { issuer: 'x', audience: 'a' },
      { issuer: 'x', audience: 'a', hs256Secret: 'short', algorithms: ['HS256'] },
      { issuer: 'x', audience: 'a', hs256Secret: 's'.repeat(40), algorithms: ['HS256', 'RS256'] },
      { issuer: 'x', audience: 'a', keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', d: 'secret' }] },
      { issuer: 'x', audience: 'a', jwksUrl: 'file:///etc/passwd' },
    ];
    for (const b of bad)
      expect((await call('PUT', '/v1/admin/settings/identity', t.adminKey, b)).status, JSON.stringify(b)).toBe(400);
    const shown = (await call('GET', '/v1/admin/settings/identity', t.adminKey)).body;
    expect(shown.issuer).toBe(ISS);
  });
});

describe('the OpenAPI document', () => {
  it('describes every route with its access rule and body schema', async () => {
    const res = await call('GET', '/v1/openapi.json', undefined);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const spec of routeSpecs(t.gw.app)) {
      if (spec.method === 'OPTIONS') continue;
      const op = doc.paths[spec.url.replace(/:(\w+)/g, '{$1}')]?.[spec.method.toLowerCase()];
      expect(op, `${spec.method} ${spec.url}`).toBeDefined();
      expect(op['x-portcullis-access']).toEqual(spec.access);
      if (spec.body) expect(op.requestBody.content['application/json'].schema).toBeTypeOf('object');
    }
    expect(
      doc.paths['/v1/admin/keys'].post.requestBody.content['application/json'].schema.properties.ipAllowlist,
    ).toBeDefined();
  });
});
