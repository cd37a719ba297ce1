import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { retentionSchema } from '../audit/retention-settings.ts';
import { policyOverrideSchema } from '../config/policy-schema.ts';
import { ProviderCatalog } from '../providers/catalog.ts';
import type { PromptSummary } from '../store/types.ts';
import { actorOf, nameParam, tenantOf } from './admin-common.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

// Admin endpoints for the prompt registry, providers and tenant settings. Each names the one permission it needs;
// authorizeRoute (pipeline) checks it against the caller's role.

const PROMPTS_READ = { permission: 'prompts:read' } as const;
const PROMPTS_WRITE = { permission: 'prompts:write' } as const;
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
    access: PROMPTS_READ,
    body: undefined,
    handler: async (req) => ({ data: (await prompts.list(tenantOf(req))).map(summaryView) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/prompts',
    access: PROMPTS_WRITE,
    // The definition schema runs in the service, so the API and `prompts push` refuse the same things the same way.
    body: z.record(z.string(), z.unknown()),
    handler: async (req, reply, body) => {
      const result = await prompts.push(tenantOf(req), body, actorOf(req));
      if (result.created) {
        await deps.audit?.({ req, action: 'prompt.version', target: result.id, detail: { version: result.version } });
      }
      reply.status(result.created ? 201 : 200);
      return result;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id',
    access: PROMPTS_READ,
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
    access: PROMPTS_READ,
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
    access: PROMPTS_READ,
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
    access: PROMPTS_WRITE,
    body: labelBody,
    handler: async (req, _reply, body) => {
      const { id } = parse(idParam, req.params, 'path');
      const moved = await prompts.setLabel(tenantOf(req), id, body.label, body.version, actorOf(req));
      await deps.audit?.({ req, action: 'prompt.label', target: id, detail: { ...moved } });
      return moved;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prompts/:id/history',
    access: PROMPTS_READ,
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
    access: { permission: 'policies:read' },
    body: undefined,
    handler: async (req) => (await deps.policies.tenantOverride(tenantOf(req))).override ?? {},
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/settings/policy',
    access: { permission: 'policies:write' },
    body: policyOverrideSchema,
    handler: async (req, _reply, body) => {
      await deps.policies.setTenantOverride(tenantOf(req), body, actorOf(req));
      await deps.audit?.({ req, action: 'settings.policy', detail: { policy: body } });
      return body;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/settings/retention',
    access: { permission: 'settings:read' },
    body: undefined,
    handler: async (req) => retention.get(tenantOf(req)),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/settings/retention',
    access: { permission: 'settings:write' },
    body: retentionSchema,
    handler: async (req, _reply, body) => {
      const stored = await retention.set(tenantOf(req), body, actorOf(req));
      await deps.audit?.({ req, action: 'settings.retention', detail: { ...stored } });
      return stored;
    },
  });

  // ---- providers (the tenant's own; the deployment's built-in and configured ones are not listed here) ----

  const catalog = new ProviderCatalog(deps.core.store.providers, deps.core.box);
  const providerBody = z
    .object({
      name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - or _ (max 63)'),
      kind: z.enum(['openai', 'anthropic', 'openai-compatible']),
      baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      apiKey: z.string().min(1).max(1000).optional(),
      models: z.array(z.string().min(1).max(256)).max(200).default([]),
      settings: z
        .object({
          timeoutMs: z.number().int().min(100).max(600_000).optional(),
          maxRetries: z.number().int().min(0).max(10).optional(),
        })
        .strict()
        .default({}),
    })
    .strict()
    .refine((p) => p.kind !== 'openai-compatible' || p.baseUrl !== undefined, {
      message: 'openai-compatible providers need a baseUrl',
      path: ['baseUrl'],
    });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/providers',
    access: { permission: 'providers:read' },
    summary: "The tenant's providers (never their keys)",
    body: undefined,
    handler: async (req) => ({
      data: (await catalog.list(tenantOf(req))).map((p) => ({
        name: p.name,
        kind: p.kind,
        baseUrl: p.baseUrl,
        hasKey: p.apiKeyCiphertext !== null,
        models: p.models,
        settings: p.settings,
        updatedAt: p.updatedAt.toISOString(),
      })),
    }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/providers',
    access: { permission: 'providers:write' },
    summary: 'Add or replace a provider; its key is stored encrypted and never returned',
    body: providerBody,
    handler: async (req, reply, b) => {
      const tenantId = tenantOf(req);
      await catalog.add({ ...b, baseUrl: b.baseUrl, apiKey: b.apiKey }, tenantId);
      await deps.routers.refresh(tenantId);
      await deps.audit?.({ req, action: 'provider.upsert', target: b.name, detail: { kind: b.kind } });
      reply.status(201);
      return { name: b.name, kind: b.kind, hasKey: b.apiKey !== undefined, models: b.models };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/providers/:name',
    access: { permission: 'providers:delete' },
    summary: 'Remove a provider',
    body: undefined,
    params: nameParam,
    handler: async (req, _r, _b, { params }) => {
      const tenantId = tenantOf(req);
      if (!(await catalog.remove(params.name, tenantId))) throw new GatewayError('not_found', 'No such provider');
      await deps.routers.refresh(tenantId);
      await deps.audit?.({ req, action: 'provider.delete', target: params.name });
      return { name: params.name, deleted: true };
    },
  });
}
