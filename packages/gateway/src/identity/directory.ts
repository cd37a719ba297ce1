import { randomBytes } from 'node:crypto';
import { GatewayError } from '../http/errors.ts';
import {
  type ApiKeyRecord,
  type ApiKeyStore,
  DEFAULT_TENANT,
  type IdentityStore,
  type RoleRecord,
  type TenantRecord,
  type TenantStatus,
  type UserRecord,
} from '../store/types.ts';
import { BUILTIN_ROLES, withinPermissions } from './rbac.ts';

// Tenants, users and roles, and the one answer the rest of the gateway needs from them: what a key may do.

/** Bounds how late a pause, a role change or a disabled user lands on other replicas (events make it sooner). */
const CACHE_MS = 1000;
const MAX_CACHED = 5000;
const OPERATOR_PERMISSIONS = ['tenants:read', 'tenants:write', 'tenants:delete'];

class TtlCache<V> {
  readonly #map = new Map<string, { value: V; until: number }>();
  get(key: string, now: number): V | undefined {
    const hit = this.#map.get(key);
    return hit && hit.until > now ? hit.value : undefined;
  }
  set(key: string, value: V, now: number): void {
    if (this.#map.size >= MAX_CACHED) this.#map.clear();
    this.#map.set(key, { value, until: now + CACHE_MS });
  }
  clear(): void {
    this.#map.clear();
  }
}

export const newUserId = () => `usr_${randomBytes(10).toString('base64url')}`;

export class Directory {
  readonly #store: IdentityStore;
  readonly #keys: ApiKeyStore;
  readonly #now: () => number;
  readonly #tenants = new TtlCache<TenantRecord | null>();
  readonly #users = new TtlCache<UserRecord | null>();
  readonly #roles = new TtlCache<readonly string[] | null>();

  constructor(store: IdentityStore, keys: ApiKeyStore, now: () => number = Date.now) {
    this.#store = store;
    this.#keys = keys;
    this.#now = now;
  }

  /** Forgets everything cached (an event said something changed elsewhere). */
  invalidate(): void {
    this.#tenants.clear();
    this.#users.clear();
    this.#roles.clear();
  }

  // ---- tenants ----

  async tenant(id: string): Promise<TenantRecord | undefined> {
    const now = this.#now();
    const hit = this.#tenants.get(id, now);
    if (hit !== undefined) return hit ?? undefined;
    const t = (await this.#store.tenants.get(id)) ?? null;
    this.#tenants.set(id, t, now);
    return t ?? undefined;
  }

  listTenants(): Promise<TenantRecord[]> {
    return this.#store.tenants.list();
  }

  async createTenant(id: string, name: string): Promise<TenantRecord> {
    const at = new Date(this.#now());
    const t: TenantRecord = { id, name, status: 'active', createdAt: at, updatedAt: at };
    if (!(await this.#store.tenants.insert(t))) {
      throw new GatewayError('conflict', `A tenant "${id}" already exists`, { param: 'id' });
    }
    this.#tenants.clear();
    return t;
  }

  async setTenantStatus(id: string, status: TenantStatus): Promise<TenantRecord> {
    if (id === DEFAULT_TENANT && status === 'paused') {
      throw new GatewayError('invalid_request', "The operator's own tenant cannot be paused", { param: 'id' });
    }
    if (!(await this.#store.tenants.setStatus(id, status, new Date(this.#now())))) {
      throw new GatewayError('not_found', `No tenant "${id.slice(0, 64)}"`);
    }
    this.#tenants.clear();
    return (await this.tenant(id))!;
  }

  // ---- roles ----

  /** A role's permissions in a tenant; undefined for a role that does not exist there. */
  async rolePermissions(tenantId: string, role: string): Promise<readonly string[] | undefined> {
    const builtin = BUILTIN_ROLES[role];
    if (builtin) return builtin;
    const now = this.#now();
    const key = `${tenantId}\u0000${role}`;
    const hit = this.#roles.get(key, now);
    if (hit !== undefined) return hit ?? undefined;
    const r = await this.#store.roles.get(tenantId, role);
    this.#roles.set(key, r?.permissions ?? null, now);
    return r?.permissions;
  }

  async listRoles(tenantId: string): Promise<Array<Omit<RoleRecord, 'createdAt'> & { builtin: boolean }>> {
    const builtins = Object.entries(BUILTIN_ROLES).map(([name, permissions]) => ({
      tenantId,
      name,
      description: `built-in ${name} role`,
      permissions: [...permissions],
      builtin: true,
    }));
    const custom = (await this.#store.roles.list(tenantId)).map((r) => ({
      tenantId: r.tenantId,
      name: r.name,
      description: r.description,
      permissions: r.permissions,
      builtin: false,
    }));
    return [...builtins, ...custom];
  }

  async createRole(
    tenantId: string,
    input: { name: string; description: string; permissions: string[] },
    actorPermissions: readonly string[],
  ): Promise<RoleRecord> {
    if (BUILTIN_ROLES[input.name]) {
      throw new GatewayError('conflict', `"${input.name}" is a built-in role`, { param: 'name' });
    }
    if (!withinPermissions(actorPermissions, input.permissions)) {
      throw new GatewayError('forbidden', 'A role cannot grant permissions you do not have', { param: 'permissions' });
    }
    const r: RoleRecord = { tenantId, ...input, createdAt: new Date(this.#now()) };
    if (!(await this.#store.roles.insert(r))) {
      throw new GatewayError('conflict', `A role "${input.name}" already exists`, { param: 'name' });
    }
    this.#roles.clear();
    return r;
  }

  async deleteRole(tenantId: string, name: string): Promise<void> {
    if (BUILTIN_ROLES[name]) throw new GatewayError('invalid_request', 'Built-in roles cannot be deleted');
    if (!(await this.#store.roles.get(tenantId, name)))
      throw new GatewayError('not_found', `No role "${name.slice(0, 32)}"`);
    const users = await this.#store.users.countWithRole(tenantId, name);
    const keys = (await this.#keys.list(tenantId)).filter((k) => k.adminRole === name && !k.revokedAt).length;
    if (users + keys > 0) {
      throw new GatewayError('conflict', `The role is still held by ${users} user(s) and ${keys} key(s)`);
    }
    await this.#store.roles.remove(tenantId, name);
    this.#roles.clear();
  }

  // ---- users ----

  async user(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const now = this.#now();
    const key = `${tenantId}\u0000${id}`;
    const hit = this.#users.get(key, now);
    if (hit !== undefined) return hit ?? undefined;
    const u = (await this.#store.users.get(tenantId, id)) ?? null;
    this.#users.set(key, u, now);
    return u ?? undefined;
  }

  listUsers(tenantId: string): Promise<UserRecord[]> {
    return this.#store.users.list(tenantId);
  }

  async #assertGrantable(tenantId: string, role: string, actorPermissions: readonly string[]): Promise<void> {
    const perms = await this.rolePermissions(tenantId, role);
    if (!perms)
      throw new GatewayError('invalid_request', `No role "${role.slice(0, 32)}" in this tenant`, { param: 'role' });
    if (!withinPermissions(actorPermissions, perms)) {
      throw new GatewayError('forbidden', `You cannot grant the role "${role}": it has permissions you do not have`, {
        param: 'role',
      });
    }
  }

  async createUser(
    tenantId: string,
    input: { email: string; name: string; role: string },
    actorPermissions: readonly string[],
  ): Promise<UserRecord> {
    await this.#assertGrantable(tenantId, input.role, actorPermissions);
    const u: UserRecord = {
      id: newUserId(),
      tenantId,
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      createdAt: new Date(this.#now()),
      disabledAt: null,
    };
    if (!(await this.#store.users.insert(u))) {
      throw new GatewayError('conflict', 'A user with this email already exists in this tenant', { param: 'email' });
    }
    return u;
  }

  async updateUser(
    tenantId: string,
    id: string,
    patch: { name?: string | undefined; role?: string | undefined; disabled?: boolean | undefined },
    actorPermissions: readonly string[],
  ): Promise<UserRecord> {
    const current = await this.#store.users.get(tenantId, id);
    if (!current) throw new GatewayError('not_found', 'No such user');
    // Changing someone who holds more than you is as much an escalation as granting it.
    await this.#assertGrantable(tenantId, current.role, actorPermissions);
    if (patch.role !== undefined) await this.#assertGrantable(tenantId, patch.role, actorPermissions);
    const losesAdmin =
      current.role === 'admin' && (patch.role !== undefined ? patch.role !== 'admin' : patch.disabled === true);
    if (losesAdmin) await this.#assertAnotherAdmin(tenantId);
    await this.#store.users.update(tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? new Date(this.#now()) : null } : {}),
    });
    this.#users.clear();
    return (await this.#store.users.get(tenantId, id))!;
  }

  async removeUser(tenantId: string, id: string, actorPermissions: readonly string[]): Promise<void> {
    const current = await this.#store.users.get(tenantId, id);
    if (!current) throw new GatewayError('not_found', 'No such user');
    await this.#assertGrantable(tenantId, current.role, actorPermissions);
    if (current.role === 'admin') await this.#assertAnotherAdmin(tenantId);
    await this.#store.users.remove(tenantId, id);
    this.#users.clear();
  }

  /** Never lock a tenant out: some other admin user or working admin key must remain. */
  async #assertAnotherAdmin(tenantId: string): Promise<void> {
    const users = await this.#store.users.countWithRole(tenantId, 'admin');
    const now = this.#now();
    const keys = (await this.#keys.list(tenantId)).filter(
      (k) => k.adminRole === 'admin' && !k.userId && !k.revokedAt && (!k.expiresAt || k.expiresAt.getTime() > now),
    ).length;
    if (users - 1 + keys < 1) {
      throw new GatewayError('conflict', 'This would leave the tenant without an admin');
    }
  }

  // ---- what a key may do ----

  /**
   * The key's permissions: its user's current role when it acts for a user (none when the user is disabled or
   * gone), else its own administrative role. Undefined means the key must be refused outright.
   */
  async permissionsOf(key: ApiKeyRecord): Promise<readonly string[] | undefined> {
    let role = key.adminRole;
    if (key.userId) {
      const u = await this.user(key.tenantId, key.userId);
      if (!u || u.disabledAt) return undefined;
      role = u.role;
    }
    if (!role) return [];
    const perms = (await this.rolePermissions(key.tenantId, role)) ?? [];
    if (key.tenantId === DEFAULT_TENANT && role === 'admin') return [...perms, ...OPERATOR_PERMISSIONS];
    return perms;
  }
}
