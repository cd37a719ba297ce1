import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, Portcullis, type PromptDefinition } from '../src/index.ts';
import { sendError, sendJson, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DEF: PromptDefinition = {
  id: 'analyze',
  model: 'mock-1',
  system: 'You are a support analyst.',
  user: 'Summarise: {{text}}',
  variables: { text: { type: 'string', minLength: 1, maxLength: 4000 } },
};

describe('admin calls', () => {
  it('use the documented method, path and body, and unwrap list answers', async () => {
    // Answers echo the request so each call's routing and body can be checked from its result.
    server = await startServer((req, res, { body }) => {
      const echo = { method: req.method, url: req.url, body: body ? JSON.parse(body) : undefined };
      if (req.url === '/v1/admin/prompts' && req.method === 'GET') sendJson(res, 200, { data: [echo] });
      else if (req.url?.endsWith('/history')) sendJson(res, 200, { data: [echo] });
      else sendJson(res, req.url === '/v1/client-tokens' ? 201 : 200, echo);
    });
    const client = new Portcullis({ apiKey: 'pcx_live_admin', baseUrl: server.url });
    const calls: [Promise<unknown>, unknown][] = [
      [client.prompts.list(), [{ method: 'GET', url: '/v1/admin/prompts' }]],
      [client.prompts.get('analyze'), { method: 'GET', url: '/v1/admin/prompts/analyze' }],
      [client.prompts.version('analyze', 2), { method: 'GET', url: '/v1/admin/prompts/analyze/versions/2' }],
      [client.prompts.push(DEF), { method: 'POST', url: '/v1/admin/prompts', body: DEF }],
      [client.prompts.diff('analyze', 1, 2), { method: 'GET', url: '/v1/admin/prompts/analyze/diff?from=1&to=2' }],
      [
        client.prompts.setLabel('analyze', 'production', 2),
        { method: 'POST', url: '/v1/admin/prompts/analyze/labels', body: { label: 'production', version: 2 } },
      ],
      [client.prompts.history('analyze'), [{ method: 'GET', url: '/v1/admin/prompts/analyze/history' }]],
      [client.settings.getRetention(), { method: 'GET', url: '/v1/admin/settings/retention' }],
      [
        client.settings.setRetention({ logs: '30d', responses: '7d', pii: 'none' }),
        { method: 'PUT', url: '/v1/admin/settings/retention', body: { logs: '30d', responses: '7d', pii: 'none' } },
      ],
      [
        client.clientTokens.create({ prompts: ['analyze'], ttlSeconds: 60, subject: 'u1' }),
        { method: 'POST', url: '/v1/client-tokens', body: { prompts: ['analyze'], ttlSeconds: 60, subject: 'u1' } },
      ],
    ];
    for (const [p, expected] of calls) expect(await p).toEqual(expected);
    for (const r of server.requests) {
      expect(r.headers['authorization']).toBe('Bearer pcx_live_admin');
      // Only execute carries an idempotency key; admin calls are idempotent by nature.
      expect(r.headers['idempotency-key']).toBeUndefined();
    }
  });

  it('encodes ids in paths and surfaces typed errors', async () => {
    server = await startServer((_req, res) => sendError(res, 404, 'prompt_not_found', 'No prompt "a b/c"'));
    const client = new Portcullis({ apiKey: 'pcx_live_admin', baseUrl: server.url });
    const err = await client.prompts.get('a b/c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('prompt_not_found');
    expect(server.requests[0]!.url).toBe('/v1/admin/prompts/a%20b%2Fc');
  });

  it('retries a 503 on an admin call', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 0 ? sendError(res, 503, 'unavailable', 'busy') : sendJson(res, 200, { data: [] }),
    );
    const client = new Portcullis({ apiKey: 'pcx_live_admin', baseUrl: server.url, retry: { baseDelayMs: 5 } });
    expect(await client.prompts.list()).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});
