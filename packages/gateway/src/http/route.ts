import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Scope } from '../identity/scopes.ts';
import { describeIssues } from '../util/zod-issues.ts';
import { GatewayError } from './errors.ts';

/**
 * Who may call a route. There is no "no check" option: a route is public only when it says so,
 * and every other route needs a key with the named scope (or the admin role). Client tokens reach
 * only routes that say `clientTokens: true`.
 */
export type Access = { public: true } | { scope: Scope; clientTokens?: true } | { role: 'admin' };

export interface RouteSpec<B extends z.ZodType | undefined = z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  access: Access;
  /** Required for every method that carries a body: validation cannot be forgotten. */
  body: B;
  handler: (
    req: FastifyRequest,
    reply: FastifyReply,
    body: B extends z.ZodType ? z.infer<B> : undefined,
  ) => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    portcullis?: { access: Access };
  }
}

export function defineRoute<B extends z.ZodType | undefined>(app: FastifyInstance, spec: RouteSpec<B>): void {
  if ((spec.method === 'POST' || spec.method === 'PUT') && !spec.body) {
    throw new Error(`route ${spec.method} ${spec.url} carries a body but declares no schema`);
  }
  app.route({
    method: spec.method,
    url: spec.url,
    config: { portcullis: { access: spec.access } },
    handler: async (req, reply) => {
      let body: unknown;
      if (spec.body) {
        const parsed = spec.body.safeParse(req.body);
        if (!parsed.success) {
          const { message, param } = describeIssues(parsed.error);
          throw new GatewayError('invalid_request', message, param ? { param } : {});
        }
        body = parsed.data;
      }
      return spec.handler(req, reply, body as B extends z.ZodType ? z.infer<B> : undefined);
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
