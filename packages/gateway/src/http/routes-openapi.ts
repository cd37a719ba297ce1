import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, type RouteSpec, routeSpecs } from './route.ts';

// The OpenAPI document is generated from the routes themselves (their zod schemas and access rules), so it cannot
// drift from what the gateway enforces.

const ERROR = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        type: { type: 'string' },
        param: { type: ['string', 'null'] },
        details: { type: 'array', items: { type: 'object' } },
      },
      required: ['code', 'message'],
    },
    request_id: { type: 'string' },
  },
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function accessText(spec: RouteSpec): string {
  const a = spec.access;
  if ('public' in a) return 'public';
  if ('scope' in a) return `scope ${a.scope}${a.clientTokens ? ' (client tokens allowed)' : ''}`;
  if ('permission' in a) return `permission ${a.permission}`;
  return 'role admin';
}

function operation(spec: RouteSpec, path: string) {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query: unknown[] = [];
  if (spec.query) {
    const js = jsonSchema(spec.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      query.push({ name, in: 'query', required: js.required?.includes(name) ?? false, schema });
    }
  }
  const segments = path.split('/').filter(Boolean);
  const tag = segments[1] === 'admin' ? `admin: ${segments[2]}` : (segments[1] ?? 'ops');
  return {
    operationId: `${spec.method.toLowerCase()}${segments.map((s) => s.replace(/[{}]/g, '').replace(/(^|[-_])(\w)/g, (_m, _p, c: string) => c.toUpperCase())).join('')}`,
    summary: spec.summary ?? `${spec.method} ${path}`,
    description: `Access: ${accessText(spec)}.`,
    tags: [tag],
    'x-portcullis-access': spec.access,
    ...('public' in spec.access ? { security: [] } : {}),
    parameters: [...params, ...query],
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } }
      : {}),
    responses: {
      '200': { description: 'Success' },
      default: {
        description: 'Error, with a stable code (docs/errors.md)',
        content: { 'application/json': { schema: ERROR } },
      },
    },
  };
}

export function buildOpenApi(app: FastifyInstance): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routeSpecs(app)) {
    if (spec.method === 'OPTIONS') continue;
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = operation(spec, path);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portcullis gateway API',
      version: '0.1.0',
      description:
        'Security gateway and prompt platform. Authenticate with `Authorization: Bearer <API key | client token | end-user JWT>`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  let doc: Record<string, unknown> | undefined;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/openapi.json',
    access: { public: true },
    summary: 'This document',
    body: undefined,
    // Built on first use: every route is registered by then.
    handler: async () => (doc ??= buildOpenApi(app)),
  });
}
