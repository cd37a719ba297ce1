import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { policyOverrideSchema } from '../config/policy-schema.ts';
import { parseCidr } from '../identity/ip-allowlist.ts';
import { publicKeyView } from '../identity/key-view.ts';
import { roleNameSchema, withinPermissions } from '../identity/rbac.ts';
import { SCOPES } from '../identity/scopes.ts';
import { actorOf, idParam, permissionsOf, tenantOf } from './admin-common.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

const cidr = z.string().refine((v) => {
  try {
    parseCidr(v);
    return true;
  } catch {
    return false;
  }
}, 'an IP address or CIDR range such as 10.0.0.0/8');

const createKeyBody = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\w .@-]+$/, 'letters, digits, space, _ . @ -'),
    role: z.union([z.literal('user'), roleNameSchema]).default('user'),
    userId: z.string().min(1).max(64).optional(),
    projectId: z.string().min(1).max(64).optional(),
    scopes: z
      .array(z.union([z.enum(SCOPES), z.literal('*')]))
      .min(1)
      .default(['chat', 'messages', 'models']),
    models: z.array(z.string().min(1).max(256)).min(1).max(100).default(['*']),
    prompts: z
      .array(z.string().regex(/^([a-z0-9][a-z0-9_-]{0,63}\*?|\*)$/, 'prompt ids or prefixes ending in *'))
      .min(1)
      .max(100)
      .default(['*']),
    ipAllowlist: z.array(cidr).max(50).default([]),
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 365 * 86_400)
      .optional(),
    policy: policyOverrideSchema.optional(),
  })
  .strict();

const rotateBody = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(86_400),
  })
  .strict();

export function registerKeyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { keys, directory } = deps.core;

  /** A key may not carry more than its creator holds, whether by role or by acting for a stronger user. */
  async function assertGrantable(tenantId: string, actor: readonly string[], role: string | null, userId?: string) {
    let effective = role;
    if (userId) {
      const user = await directory.user(tenantId, userId);
      if (!user) throw new GatewayError('not_found', 'No such user', { param: 'userId' });
      effective = user.role;
    }
    if (!effective) return;
    const perms = await directory.rolePermissions(tenantId, effective);
    if (!perms) throw new GatewayError('invalid_request', `No role "${effective}" in this tenant`, { param: 'role' });
    if (!withinPermissions(actor, perms)) {
      throw new GatewayError('forbidden', 'A key cannot carry permissions you do not have', { param: 'role' });
    }
  }

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/keys',
    access: { permission: 'keys:read' },
    summary: "List the tenant's API keys (never their secrets)",
    body: undefined,
    handler: async (req) => ({ data: (await keys.list(tenantOf(req))).map((k) => publicKeyView(k)) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/keys',
    access: { permission: 'keys:write' },
    summary: 'Issue an API key; the secret is in this answer only',
    body: createKeyBody,
    handler: async (req, reply, b) => {
      const tenantId = tenantOf(req);
      const adminRole = b.role === 'user' ? null : b.role;
      await assertGrantable(tenantId, permissionsOf(req), adminRole, b.userId);
      if (b.projectId && !(await deps.core.store.identity.projects.get(tenantId, b.projectId))) {
        throw new GatewayError('not_found', 'No such project', { param: 'projectId' });
      }
      const { key, secret } = await keys.create({
        tenantId,
        name: b.name,
        role: adminRole === 'admin' && !b.userId ? 'admin' : 'user',
        adminRole: b.userId ? null : adminRole,
        userId: b.userId ?? null,
        projectId: b.projectId ?? null,
        scopes: b.scopes,
        models: b.models,
        prompts: b.prompts,
        ipAllowlist: b.ipAllowlist,
        policy: (b.policy as Record<string, unknown> | undefined) ?? null,
        expiresAt: b.expiresInSeconds ? new Date(Date.now() + b.expiresInSeconds * 1000) : null,
      });
      await deps.audit?.({ req, action: 'key.create', target: key.id });
      reply.status(201);
      return { ...publicKeyView(key), key: secret };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/keys/:id',
    access: { permission: 'keys:read' },
    summary: 'One API key',
    body: undefined,
    params: idParam,
    handler: async (req, _reply, _b, { params }) => {
      const key = await keys.get(params.id, tenantOf(req));
      if (!key) throw new GatewayError('not_found', 'No such key');
      return publicKeyView(key);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/keys/:id/rotate',
    access: { permission: 'keys:write' },
    summary: 'Issue a replacement; the old key keeps working for the grace period',
    body: rotateBody,
    params: idParam,
    handler: async (req, reply, b, { params }) => {
      const tenantId = tenantOf(req);
      const old = await keys.get(params.id, tenantId);
      if (!old || old.revokedAt) throw new GatewayError('not_found', 'No such active key');
      await assertGrantable(tenantId, permissionsOf(req), old.adminRole, old.userId ?? undefined);
      const next = await keys.rotate(params.id, b.graceSeconds * 1000, tenantId);
      if (!next) throw new GatewayError('not_found', 'No such active key');
      await deps.audit?.({ req, action: 'key.rotate', target: params.id, detail: { replacedBy: next.key.id } });
      reply.status(201);
      return { ...publicKeyView(next.key), key: next.secret, replaces: params.id };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/keys/:id',
    access: { permission: 'keys:delete' },
    summary: 'Revoke a key (every replica refuses it within a second)',
    body: undefined,
    params: idParam,
    handler: async (req, _reply, _b, { params }) => {
      const tenantId = tenantOf(req);
      const key = await keys.get(params.id, tenantId);
      if (!key) throw new GatewayError('not_found', 'No such key');
      if (key.adminRole === 'admin' && !key.revokedAt && !key.userId) {
        const users = (await directory.listUsers(tenantId)).filter((u) => u.role === 'admin' && !u.disabledAt).length;
        if (users === 0 && (await keys.countAdmins(tenantId)) <= 1) {
          throw new GatewayError('conflict', 'This is the last admin key of the tenant; create another admin first');
        }
      }
      await keys.revoke(params.id, tenantId);
      await deps.audit?.({ req, action: 'key.revoke', target: params.id, actor: actorOf(req) });
      return { id: params.id, revoked: true };
    },
  });
}
