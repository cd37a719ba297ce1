import { z } from 'zod';

// Who may do what, decided in one place. A permission is `<resource>:<verb>`, `*:<verb>` for every resource,
// `team:manage` (users and roles), or `*` (everything in the tenant). Tenants themselves are managed only by the
// operator: admins of the default tenant.

export const RESOURCES = [
  'tenants',
  'projects',
  'users',
  'roles',
  'keys',
  'providers',
  'prompts',
  'policies',
  'settings',
  'usage',
  'audit',
  'privacy',
] as const;
export type Resource = (typeof RESOURCES)[number];
export const VERBS = ['read', 'write', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

export const BUILTIN_ROLES: Readonly<Record<string, readonly string[]>> = {
  admin: ['*'],
  editor: ['*:read', '*:write'],
  viewer: ['*:read'],
};
export const BUILTIN_ROLE_NAMES = Object.keys(BUILTIN_ROLES);

/** Resources whose changes are team management: granting access is more than writing data. */
const TEAM: ReadonlySet<Resource> = new Set(['users', 'roles']);

const permissionPattern = new RegExp(`^(\\*|team:manage|(\\*|${RESOURCES.join('|')}):(${VERBS.join('|')}))$`);
export const permissionSchema = z
  .string()
  .regex(permissionPattern, 'a permission such as prompts:write, *:read, team:manage or *')
  // Tenants are the operator's: a custom role cannot be given them.
  .refine((p) => !p.startsWith('tenants:'), 'tenant permissions belong to the operator only');

export const roleNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, - or _ (max 32), starting with a letter');

/** Whether a set of permissions allows `verb` on `resource`. */
export function can(perms: readonly string[], resource: Resource, verb: Verb): boolean {
  if (resource === 'tenants') return perms.includes(`tenants:${verb}`);
  if (perms.includes('*')) return true;
  if (TEAM.has(resource) && verb !== 'read') return perms.includes('team:manage');
  return perms.includes(`${resource}:${verb}`) || perms.includes(`*:${verb}`);
}

/** Every (resource, verb) a permission set allows, for comparing two sets. */
function grants(perms: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of RESOURCES) for (const v of VERBS) if (can(perms, r, v)) out.add(`${r}:${v}`);
  return out;
}

/** True when `granted` allows nothing that `holder` does not: nobody hands out more than they have. */
export function withinPermissions(holder: readonly string[], granted: readonly string[]): boolean {
  const mine = grants(holder);
  for (const g of grants(granted)) if (!mine.has(g)) return false;
  return true;
}
