import type { GuardPolicy, PolicyOverride } from './types.ts';

/**
 * Safe defaults: attacks and credentials block, personal data is masked on the way in (and
 * restored for the caller on the way out), the worst moderation categories block and the rest
 * are flagged, leaks and exfiltrating markup in outputs are stopped.
 */
export const DEFAULT_POLICY: GuardPolicy = {
  input: {
    injection: { action: 'block' },
    secrets: { action: 'block' },
    pii: { action: 'mask' },
    moderation: {
      action: 'flag',
      categories: {
        sexual_minors: 'block',
        self_harm: 'flag',
        hate_threatening: 'block',
        violence_graphic: 'flag',
        // Lexicon-only, so the likeliest to misfire: recorded and alerted, not refused.
        illicit: 'flag',
      },
    },
    unicode: { action: 'flag' },
  },
  output: {
    secrets: { action: 'block' },
    pii: { action: 'flag' },
    moderation: { action: 'flag', categories: { sexual_minors: 'block', hate_threatening: 'block' } },
    canary: { action: 'block' },
    promptLeak: { action: 'block' },
    markup: { action: 'sanitize', allowedHosts: [] },
  },
  // Catches pathological slowness, not ordinary load: a 32 KB prompt takes tens of ms on a busy core.
  budgetMs: 250,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge<T>(base: T, over: unknown): T {
  if (!isObject(over) || !isObject(base)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k], v) : v;
  }
  return out as T;
}

/** Applies overrides in order (e.g. tenant, then key, then prompt); later ones win field by field. */
export function resolvePolicy(base: GuardPolicy, ...overrides: Array<PolicyOverride | null | undefined>): GuardPolicy {
  let policy = base;
  for (const o of overrides) if (o) policy = merge(policy, o);
  return policy;
}
