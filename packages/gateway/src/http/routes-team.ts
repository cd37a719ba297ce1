import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { permissionSchema, roleNameSchema } from '../identity/rbac.ts';
import type { UserRecord } from '../store/types.ts';
import { idParam, nameParam, permissionsOf, tenantOf } from './admin-common.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

const email = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address');
const displayName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f<>]+$/, 'no control characters or angle brackets');
const createUserBody = z.object({ email, name: displayName, role: roleNameSchema }).strict();
const updateUserBody = z
  .object({ name: displayName.optional(), role: roleNameSchema.optional(), disabled: z.boolean().optional() })
  .strict();
const createRoleBody = z
  .object({
    name: roleNameSchema,
    description: z.string().max(300).default(''),
    permissions: z.array(permissionSchema).min(1).max(50),
  })
  .strict();

function userView(u: UserRecord) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    disabledAt: u.disabledAt?.toISOString() ?? null,
  };
}

export function registerTeamRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { directory } = deps.core;

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/users',
    access: { permission: 'users:read' },
    summary: "The tenant's users",
    body: undefined,
    handler: async (req) => ({ data: (await directory.listUsers(tenantOf(req))).map(userView) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/users',
    access: { permission: 'users:write' },
    summary: 'Add a user with a role (team:manage; never a role stronger than your own)',
    body: createUserBody,
    handler: async (req, reply, b) => {
      const u = await directory.createUser(tenantOf(req), b, permissionsOf(req));
      await deps.audit?.({ req, action: 'user.create', target: u.id, detail: { role: u.role } });
      reply.status(201);
      return userView(u);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/users/:id',
    access: { permission: 'users:read' },
    summary: 'One user',
    body: undefined,
    params: idParam,
    handler: async (req, _r, _b, { params }) => {
      const u = await directory.user(tenantOf(req), params.id);
      if (!u) throw new GatewayError('not_found', 'No such user');
      return userView(u);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/users/:id',
    access: { permission: 'users:write' },
    summary: "Change a user's name or role, or disable them (their keys stop working)",
    body: updateUserBody,
    params: idParam,
    handler: async (req, _r, b, { params }) => {
      const u = await directory.updateUser(tenantOf(req), params.id, b, permissionsOf(req));
      await deps.audit?.({ req, action: 'user.update', target: u.id, detail: { ...b } });
      return userView(u);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/users/:id',
    access: { permission: 'users:delete' },
    summary: 'Remove a user (their keys stop working)',
    body: undefined,
    params: idParam,
    handler: async (req, _r, _b, { params }) => {
      await directory.removeUser(tenantOf(req), params.id, permissionsOf(req));
      await deps.audit?.({ req, action: 'user.delete', target: params.id });
      return { id: params.id, deleted: true };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/roles',
    access: { permission: 'roles:read' },
    summary: 'Built-in and custom roles with their permissions',
    body: undefined,
    handler: async (req) => ({ data: await directory.listRoles(tenantOf(req)) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/roles',
    access: { permission: 'roles:write' },
    summary: 'Create a custom role from permissions you hold',
    body: createRoleBody,
    handler: async (req, reply, b) => {
      const r = await directory.createRole(tenantOf(req), b, permissionsOf(req));
      await deps.audit?.({ req, action: 'role.create', target: r.name, detail: { permissions: r.permissions } });
      reply.status(201);
      return { name: r.name, description: r.description, permissions: r.permissions, builtin: false };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/roles/:name',
    access: { permission: 'roles:delete' },
    summary: 'Delete a custom role nobody holds',
    body: undefined,
    params: nameParam,
    handler: async (req, _r, _b, { params }) => {
      await directory.deleteRole(tenantOf(req), params.name);
      await deps.audit?.({ req, action: 'role.delete', target: params.name });
      return { name: params.name, deleted: true };
    },
  });
}
