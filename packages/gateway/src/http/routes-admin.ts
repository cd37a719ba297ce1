import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { retentionSchema } from '../audit/retention-settings.ts';
import { policyOverrideSchema } from '../config/policy-schema.ts';
import type { PromptSummary } from '../store/types.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

// Admin endpoints for the prompt registry and tenant settings. Admin keys only for now; the role model
// (editor, viewer, custom roles) replaces `{ role: 'admin' }` with permissions in one place.

const ADMIN = { role: 'admin' } as const;
const idParam = z.object({ id: z.string().max(200) });
const versionParam = z.object({ id: z.string().max(200), version: z.coerce.number().int().min(1).max(1_000_000) });
const diffQuery = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000),
  to: z.coerce.number().int().min(1).max(1_000_000),
});
const labelBody = z.object({ label: z.string().min(1).max(64), version: z.number().int().min(1) }).strict();
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new GatewayError('invalid_request', `Invalid ${what}: ${i.path.join('.') || what} ${i.message}`, {
      param: i.path.join('.') || undefined,
    });
  }
  return r.data;
}

const actorOf = (req: FastifyRequest) => `key:${req.ctx.key!.id}`;
const tenantOf = (req: FastifyRequest) => req.ctx.key!.tenantId;

function summaryView(p: PromptSummary) {
  return {
    id: p.id,
    description: p.description,
    latestVersion: p.latestVersion,
    labels: p.labels,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function registerAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { prompts, retention } = deps.core;

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts',
    access: ADMIN,
    body: undefined,
    handler: async (req) => ({ data: (await prompts.list(tenantOf(req))).map(summaryView) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/prompts',
    access: ADMIN,
    // The definition schema runs in the service, so the API and `prompts push` refuse the same things the same way.
    body: z.record(z.string(), z.unknown()),
    handler: async (req, reply, body) => {
      const result = await prompts.push(tenantOf(req), body, actorOf(req));
      reply.status(result.created ? 201 : 200);
      return result;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id',
    access: ADMIN,
    body: undefined,
    handler: async (req) => {
      const { id } = parse(idParam, req.params, 'path');
      const p = await prompts.get(tenantOf(req), id);
      return {
        ...summaryView(p),
        versions: p.versions.map((v) => ({
          version: v.version,
          hash: v.hash,
          createdAt: v.createdAt.toISOString(),
          createdBy: v.createdBy,
        })),
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id/versions/:version',
    access: ADMIN,
    body: undefined,
    handler: async (req) => {
      const { id, version } = parse(versionParam, req.params, 'path');
      const v = await prompts.version(tenantOf(req), id, version);
      return {
        id,
        version: v.version,
        definition: v.definition,
        hash: v.hash,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id/diff',
    access: ADMIN,
    body: undefined,
    handler: async (req) => {
      const { id } = parse(idParam, req.params, 'path');
      const { from, to } = parse(diffQuery, req.query, 'query');
      return { id, from, to, diff: await prompts.diff(tenantOf(req), id, from, to) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/prompts/:id/labels',
    access: ADMIN,
    body: labelBody,
    handler: async (req, _reply, body) => {
      const { id } = parse(idParam, req.params, 'path');
      return prompts.setLabel(tenantOf(req), id, body.label, body.version, actorOf(req));
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id/history',
    access: ADMIN,
    body: undefined,
    handler: async (req) => {
      const { id } = parse(idParam, req.params, 'path');
      const { limit } = parse(historyQuery, req.query, 'query');
      const changes = await prompts.history(tenantOf(req), id, limit);
      return {
        data: changes.map((c) => ({
          seq: c.seq,
          at: c.at.toISOString(),
          actor: c.actor,
          action: c.action,
          version: c.version,
          ...(c.label !== null ? { label: c.label } : {}),
          ...(c.previous !== null ? { previous: c.previous } : {}),
          ...(c.diff !== null ? { diff: c.diff } : {}),
        })),
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/settings/policy',
    access: ADMIN,
    body: undefined,
    handler: async (req) => (await deps.policies.tenantOverride(tenantOf(req))).override ?? {},
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/settings/policy',
    access: ADMIN,
    body: policyOverrideSchema,
    handler: async (req, _reply, body) => {
      await deps.policies.setTenantOverride(tenantOf(req), body, actorOf(req));
      return body;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/settings/retention',
    access: ADMIN,
    body: undefined,
    handler: async (req) => retention.get(tenantOf(req)),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/settings/retention',
    access: ADMIN,
    body: retentionSchema,
    handler: async (req, _reply, body) => retention.set(tenantOf(req), body, actorOf(req)),
  });
}
