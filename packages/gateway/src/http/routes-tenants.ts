import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { identitySettingsSchema } from '../identity/end-user-jwt.ts';
import type { ProjectRecord, TenantRecord } from '../store/types.ts';
import { actorOf, idParam, TENANT_ID, tenantOf } from './admin-common.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

const createTenantBody = z
  .object({
    id: z.string().regex(TENANT_ID, 'lowercase letters, digits, - or _ (max 64)'),
    name: z.string().min(1).max(100),
  })
  .strict();
const createProjectBody = z
  .object({
    id: z.string().regex(TENANT_ID, 'lowercase letters, digits, - or _ (max 64)'),
    name: z.string().min(1).max(100),
  })
  .strict();

const tenantView = (t: TenantRecord) => ({
  id: t.id,
  name: t.name,
  status: t.status,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});
const projectView = (p: ProjectRecord) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString() });

export function registerTenantRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { directory, keys, jwts, store } = deps.core;

  // ---- the operator's: tenants ----

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/tenants',
    access: { permission: 'tenants:read' },
    summary: 'Every tenant (operator only: admins of the default tenant)',
    body: undefined,
    handler: async () => ({ data: (await directory.listTenants()).map(tenantView) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/tenants',
    access: { permission: 'tenants:write' },
    summary: 'Create a tenant and its first admin key (the secret is in this answer only)',
    body: createTenantBody,
    handler: async (req, reply, b) => {
      const t = await directory.createTenant(b.id, b.name);
      const first = await keys.create({ tenantId: t.id, name: 'first admin', role: 'admin', scopes: ['*'] });
      await deps.audit?.({ req, action: 'tenant.create', target: t.id });
      reply.status(201);
      return { ...tenantView(t), adminKey: { id: first.key.id, key: first.secret } };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/tenants/:id',
    access: { permission: 'tenants:read' },
    summary: 'One tenant',
    body: undefined,
    params: idParam,
    handler: async (_req, _r, _b, { params }) => {
      const t = await directory.tenant(params.id);
      if (!t) throw new GatewayError('not_found', 'No such tenant');
      return tenantView(t);
    },
  });

  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `/v1/admin/tenants/:id/${action}`,
      access: { permission: 'tenants:write' },
      summary: action === 'pause' ? "Refuse every request of the tenant's keys and tokens" : 'Serve the tenant again',
      body: z.object({}).strict(),
      params: idParam,
      handler: async (req, _r, _b, { params }) => {
        const t = await directory.setTenantStatus(params.id, status);
        await deps.audit?.({ req, action: `tenant.${action}`, target: t.id });
        return tenantView(t);
      },
    });
  }

  // ---- each tenant's own: projects and its identity provider ----

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/projects',
    access: { permission: 'projects:read' },
    summary: "The tenant's projects",
    body: undefined,
    handler: async (req) => ({ data: (await store.identity.projects.list(tenantOf(req))).map(projectView) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/projects',
    access: { permission: 'projects:write' },
    summary: 'Create a project (keys and prompts can be limited to one)',
    body: createProjectBody,
    handler: async (req, reply, b) => {
      const p: ProjectRecord = { tenantId: tenantOf(req), id: b.id, name: b.name, createdAt: new Date() };
      if (!(await store.identity.projects.insert(p))) {
        throw new GatewayError('conflict', `A project "${b.id}" already exists`, { param: 'id' });
      }
      await deps.audit?.({ req, action: 'project.create', target: p.id });
      reply.status(201);
      return projectView(p);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/projects/:id',
    access: { permission: 'projects:delete' },
    summary: 'Delete a project',
    body: undefined,
    params: idParam,
    handler: async (req, _r, _b, { params }) => {
      if (!(await store.identity.projects.remove(tenantOf(req), params.id))) {
        throw new GatewayError('not_found', 'No such project');
      }
      await deps.audit?.({ req, action: 'project.delete', target: params.id });
      return { id: params.id, deleted: true };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/settings/identity',
    access: { permission: 'settings:read' },
    summary: "The tenant's end-user identity provider (JWT issuer, audience, keys); secrets are never returned",
    body: undefined,
    handler: async (req) => (await jwts.get(tenantOf(req))) ?? {},
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/settings/identity',
    access: { permission: 'settings:write' },
    summary: 'Accept end-user JWTs from an identity provider (JWKS URL, public keys, or an HS256 secret)',
    body: identitySettingsSchema,
    handler: async (req, _r, b) => {
      await jwts.set(tenantOf(req), b, actorOf(req));
      await deps.audit?.({ req, action: 'settings.identity', detail: { issuer: b.issuer } });
      return (await jwts.get(tenantOf(req))) ?? {};
    },
  });
}
