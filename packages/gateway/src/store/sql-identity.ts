// Tenants, projects, users and custom roles over kysely (SQLite and PostgreSQL alike).

import type { Kysely } from 'kysely';
import { isUniqueViolation } from './sql-errors.ts';
import type { IdentityStore, RoleRecord, TenantStatus, UserRecord } from './types.ts';

export interface TenantsTable {
  id: string;
  name: string;
  status: TenantStatus;
  created_at: number;
  updated_at: number;
}

export interface ProjectsTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: string;
  created_at: number;
  disabled_at: number | null;
}

export interface RolesTable {
  tenant_id: string;
  name: string;
  description: string;
  permissions: string;
  created_at: number;
}

export interface IdentityTables {
  tenants: TenantsTable;
  projects: ProjectsTable;
  users: UsersTable;
  roles: RolesTable;
}

/** Inserts and reports false instead of throwing when the row exists (ids are chosen by callers). */
async function insertOnce(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

const user = (r: UsersTable): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  createdAt: new Date(Number(r.created_at)),
  disabledAt: r.disabled_at === null ? null : new Date(Number(r.disabled_at)),
});

const role = (r: RolesTable): RoleRecord => ({
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  permissions: JSON.parse(r.permissions),
  createdAt: new Date(Number(r.created_at)),
});

export function identityStore(db: Kysely<IdentityTables>): IdentityStore {
  return {
    tenants: {
      insert: (t) =>
        insertOnce(() =>
          db
            .insertInto('tenants')
            .values({
              id: t.id,
              name: t.name,
              status: t.status,
              created_at: t.createdAt.getTime(),
              updated_at: t.updatedAt.getTime(),
            })
            .execute(),
        ),
      async get(id) {
        const r = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
        return (
          r && {
            id: r.id,
            name: r.name,
            status: r.status,
            createdAt: new Date(Number(r.created_at)),
            updatedAt: new Date(Number(r.updated_at)),
          }
        );
      },
      async list() {
        const rows = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
        return rows.map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          createdAt: new Date(Number(r.created_at)),
          updatedAt: new Date(Number(r.updated_at)),
        }));
      },
      async setStatus(id, status, at) {
        const res = await db
          .updateTable('tenants')
          .set({ status, updated_at: at.getTime() })
          .where('id', '=', id)
          .executeTakeFirst();
        return res.numUpdatedRows > 0n;
      },
    },
    projects: {
      insert: (p) =>
        insertOnce(() =>
          db
            .insertInto('projects')
            .values({ tenant_id: p.tenantId, id: p.id, name: p.name, created_at: p.createdAt.getTime() })
            .execute(),
        ),
      async get(tenantId, id) {
        const r = await db
          .selectFrom('projects')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        return r && { tenantId: r.tenant_id, id: r.id, name: r.name, createdAt: new Date(Number(r.created_at)) };
      },
      async list(tenantId) {
        const rows = await db
          .selectFrom('projects')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .orderBy('id')
          .execute();
        return rows.map((r) => ({
          tenantId: r.tenant_id,
          id: r.id,
          name: r.name,
          createdAt: new Date(Number(r.created_at)),
        }));
      },
      async remove(tenantId, id) {
        const res = await db
          .deleteFrom('projects')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        return res.numDeletedRows > 0n;
      },
    },
    users: {
      insert: (u) =>
        insertOnce(() =>
          db
            .insertInto('users')
            .values({
              id: u.id,
              tenant_id: u.tenantId,
              email: u.email,
              name: u.name,
              role: u.role,
              created_at: u.createdAt.getTime(),
              disabled_at: u.disabledAt === null ? null : u.disabledAt.getTime(),
            })
            .execute(),
        ),
      async get(tenantId, id) {
        const r = await db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        return r && user(r);
      },
      async list(tenantId) {
        const rows = await db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .orderBy('email')
          .execute();
        return rows.map(user);
      },
      async update(tenantId, id, patch) {
        const set: Partial<UsersTable> = {};
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.role !== undefined) set.role = patch.role;
        if (patch.disabledAt !== undefined)
          set.disabled_at = patch.disabledAt === null ? null : patch.disabledAt.getTime();
        if (Object.keys(set).length === 0) return (await this.get(tenantId, id)) !== undefined;
        const res = await db
          .updateTable('users')
          .set(set)
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        return res.numUpdatedRows > 0n;
      },
      async remove(tenantId, id) {
        const res = await db
          .deleteFrom('users')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        return res.numDeletedRows > 0n;
      },
      async countWithRole(tenantId, roleName) {
        const r = await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .where('role', '=', roleName)
          .where('disabled_at', 'is', null)
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },
    },
    roles: {
      insert: (r) =>
        insertOnce(() =>
          db
            .insertInto('roles')
            .values({
              tenant_id: r.tenantId,
              name: r.name,
              description: r.description,
              permissions: JSON.stringify(r.permissions),
              created_at: r.createdAt.getTime(),
            })
            .execute(),
        ),
      async get(tenantId, name) {
        const r = await db
          .selectFrom('roles')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('name', '=', name)
          .executeTakeFirst();
        return r && role(r);
      },
      async list(tenantId) {
        const rows = await db
          .selectFrom('roles')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .orderBy('name')
          .execute();
        return rows.map(role);
      },
      async remove(tenantId, name) {
        const res = await db
          .deleteFrom('roles')
          .where('tenant_id', '=', tenantId)
          .where('name', '=', name)
          .executeTakeFirst();
        return res.numDeletedRows > 0n;
      },
    },
  };
}
