// Scopes name the endpoints a key may call. `*` grants all caller endpoints; admin endpoints
// additionally require the admin role.
export const SCOPES = ['chat', 'messages', 'models', 'metrics', 'execute', 'tokens'] as const;
export type Scope = (typeof SCOPES)[number];

export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes('*') || granted.includes(needed);
}

/** Allowlist entries (models, prompts) are exact names or a prefix ending in `*` (e.g. `gpt-4o*`). */
export function modelAllowed(allowed: readonly string[], model: string): boolean {
  for (const entry of allowed) {
    if (entry === '*' || entry === model) return true;
    if (entry.endsWith('*') && model.startsWith(entry.slice(0, -1))) return true;
  }
  return false;
}

export const promptAllowed = modelAllowed;
