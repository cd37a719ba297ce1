import type { ApiKeyRecord } from '../store/types.ts';

// How a key is shown to people (CLI, admin API): everything but its secret and its hash.

export function keyStatus(k: ApiKeyRecord, now = Date.now()): string {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt.getTime() <= now) return 'expired';
  if (k.replacedBy) return `rotating→${k.replacedBy}`;
  return 'active';
}

export function publicKeyView(k: ApiKeyRecord) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.adminRole ?? 'user',
    userId: k.userId,
    projectId: k.projectId,
    scopes: k.scopes,
    models: k.models,
    prompts: k.prompts,
    ipAllowlist: k.ipAllowlist,
    policy: k.policy,
    status: keyStatus(k),
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
