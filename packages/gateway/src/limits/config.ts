import { z } from 'zod';

// The `limits:` section of the config. Rules without `match` are the defaults for their scope; rules with `match`
// apply to the ids they match (exactly, or by prefix ending in `*`) and replace that scope's defaults for the same
// metric, which is how one key, tenant or prompt gets its own limit.

export const RATE_SCOPES = ['key', 'subject', 'tenant', 'ip', 'prompt'] as const;
export type RateScope = (typeof RATE_SCOPES)[number];
export const BUDGET_SCOPES = ['key', 'subject', 'tenant'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A window such as `30s`, `1m`, `1h`, `1d`, as seconds. */
export const windowSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = /^(\d{1,7})(s|m|h|d)$/.exec(String(v).trim());
  const seconds = m ? Number(m[1]) * WINDOW_UNITS[m[2]!]! : 0;
  if (seconds < 1 || seconds > 31 * 86_400) {
    ctx.addIssue({ code: 'custom', message: 'a window such as 30s, 1m, 1h or 1d (at most 31d)' });
    return z.NEVER;
  }
  return seconds;
});

const matchSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^*]*\*?$/, 'an id, or a prefix ending in *');

export const rateRuleSchema = z
  .object({
    scope: z.enum(RATE_SCOPES),
    /** Requests allowed per window. */
    requests: z.number().int().min(1).max(1_000_000_000).optional(),
    /** Tokens (prompt + completion) allowed per window: estimated before the call, corrected after it. */
    tokens: z.number().int().min(1).max(1_000_000_000_000).optional(),
    per: windowSchema,
    match: matchSchema.optional(),
  })
  .strict()
  .refine((r) => (r.requests === undefined) !== (r.tokens === undefined), {
    message: 'give either requests or tokens (one rule each)',
    path: ['requests'],
  });
export type RateRule = z.infer<typeof rateRuleSchema>;

export const budgetRuleSchema = z
  .object({
    scope: z.enum(BUDGET_SCOPES),
    /** US dollars per period; the hard stop. */
    usd: z.number().positive().max(1_000_000_000),
    period: z.enum(['day', 'month']),
    /** Percentage of `usd` at which an alert is raised once per period (log line, metric, audit hook). */
    alertAtPercent: z.number().min(1).max(100).default(80),
    match: matchSchema.optional(),
  })
  .strict();
export type BudgetRule = z.infer<typeof budgetRuleSchema>;

export const limitsConfigSchema = z
  .object({
    rules: z.array(rateRuleSchema).max(200).default([]),
    budgets: z.array(budgetRuleSchema).max(200).default([]),
    /** Completion tokens assumed for the token and cost reservation when a request sets no max_tokens. */
    defaultMaxTokens: z.coerce.number().int().min(1).max(1_000_000).default(1024),
    /**
     * Where budget spend is kept: `database` (the SQLite or PostgreSQL store: durable, a row update per request),
     * `redis` (a Lua script: faster, shared by replicas), or `auto` (redis when `redis.url` is set).
     */
    budgetStore: z.enum(['auto', 'database', 'redis']).default('auto'),
  })
  .strict();
export type LimitsConfig = z.infer<typeof limitsConfigSchema>;

export const LIMITS_DEFAULTS: z.input<typeof limitsConfigSchema> = {
  rules: [],
  budgets: [],
  defaultMaxTokens: 1024,
  budgetStore: 'auto',
};

export const redisConfigSchema = z
  .object({
    /** `redis://[user:password@]host:6379[/db]` (or rediss://). Unset: embedded mode, counters in memory. */
    url: z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of every key and channel, so several deployments can share one Redis. */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits, :, _, . or - (max 64)')
      .default('pcx:'),
    /** A Redis command that takes longer fails (and the request is refused with 503) instead of hanging. */
    commandTimeoutMs: z.coerce.number().int().min(10).max(60_000).default(500),
    connectTimeoutMs: z.coerce.number().int().min(10).max(60_000).default(1000),
  })
  .strict();
export type RedisConfig = z.infer<typeof redisConfigSchema>;

export const REDIS_DEFAULTS = { keyPrefix: 'pcx:', commandTimeoutMs: 500, connectTimeoutMs: 1000 };

/** Does a rule's `match` cover this id? Rules without `match` cover every id. */
export function matches(match: string | undefined, id: string): boolean {
  if (match === undefined) return true;
  return match.endsWith('*') ? id.startsWith(match.slice(0, -1)) : id === match;
}
