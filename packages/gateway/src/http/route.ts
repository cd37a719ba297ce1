import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Resource, Verb } from '../identity/rbac.ts';
import type { Scope } from '../identity/scopes.ts';
import { describeIssues } from '../util/zod-issues.ts';
import { GatewayError } from './errors.ts';

/**
 * Who may call a route. There is no "no check" option: a route is public only when it says so,
 * and every other route needs a key with the named scope (or the admin role). Client tokens reach
 * only routes that say `clientTokens: true`.
 */
export type Access =
  | { public: true }
  | { scope: Scope; clientTokens?: true }
  | { permission: `${Resource}:${Verb}` }
  /** Everything in the tenant (`*`): the built-in admin role. */
  | { role: 'admin' };

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteSpec<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  access: Access;
  /** One line for the OpenAPI document. */
  summary?: string;
  /** Required for every method that carries a body: validation cannot be forgotten. */
  body: B;
  /** Path parameters and query string, validated like the body (a 400 names the bad one). */
  params?: P;
  query?: Q;
  handler: (
    req: FastifyRequest,
    reply: FastifyReply,
    body: Parsed<B>,
    input: { params: Parsed<P>; query: Parsed<Q> },
  ) => Promise<unknown>;
}

/** Every route an app defined, for the OpenAPI document and the authorization-matrix test. */
const registries = new WeakMap<FastifyInstance, RouteSpec[]>();
export function routeSpecs(app: FastifyInstance): readonly RouteSpec[] {
  return registries.get(app) ?? [];
}

function parseOrThrow(schema: z.ZodType, value: unknown, where: 'body' | 'path' | 'query'): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lead =
    where === 'body' ? 'Invalid request' : `Invalid ${where === 'path' ? 'path parameter' : 'query parameter'}`;
  const { message, param } = describeIssues(parsed.error, lead);
  throw new GatewayError('invalid_request', message, param ? { param } : {});
}

declare module 'fastify' {
  interface FastifyContextConfig {
    portcullis?: { access: Access };
  }
}

export function defineRoute<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(app: FastifyInstance, spec: RouteSpec<B, P, Q>): void {
  if ((spec.method === 'POST' || spec.method === 'PUT') && !spec.body) {
    throw new Error(`route ${spec.method} ${spec.url} carries a body but declares no schema`);
  }
  const list = registries.get(app) ?? [];
  registries.set(app, list);
  list.push(spec as unknown as RouteSpec);
  app.route({
    method: spec.method,
    url: spec.url,
    config: { portcullis: { access: spec.access } },
    handler: async (req, reply) => {
      const body = spec.body ? parseOrThrow(spec.body, req.body, 'body') : undefined;
      const params = spec.params ? parseOrThrow(spec.params, req.params, 'path') : undefined;
      const query = spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined;
      return spec.handler(req, reply, body as Parsed<B>, { params: params as Parsed<P>, query: query as Parsed<Q> });
    },
  });
}

/** Refuses, at start-up, any route added without defineRoute (and so without access rules and validation). */
export function enforceRouteDiscipline(app: FastifyInstance): void {
  app.addHook('onRoute', (opts) => {
    if (!opts.config?.portcullis) {
      throw new Error(`route ${String(opts.method)} ${opts.url} was registered without defineRoute()`);
    }
  });
}
