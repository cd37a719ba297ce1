import { z } from 'zod';
import { LIMITS_DEFAULTS, limitsConfigSchema, REDIS_DEFAULTS, redisConfigSchema } from '../limits/config.ts';
import { priceTableSchema } from '../limits/prices.ts';
import { policyOverrideSchema } from './policy-schema.ts';

// One validated config object. Every field has a default that runs with nothing installed,
// so `portcullis start` works with no file and no environment at all.

const durationMs = z.coerce.number().int().min(0);

// flag turns the string "false" into true; environment values need a real parser.
const flag = z.union([
  z.boolean(),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on'),
]);

const providerKind = z.enum(['mock', 'openai', 'anthropic', 'openai-compatible']);

export const providerConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - or _ (max 63)'),
    kind: providerKind,
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Name of the environment variable holding the key: keys never sit in the config file. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
    models: z.array(z.string().min(1)).default([]),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const routeTarget = z.object({ provider: z.string().min(1), model: z.string().min(1) }).strict();

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(8787),
        bodyLimitBytes: z.coerce
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(1024 * 1024),
        /** Trust X-Forwarded-For from a load balancer (only set behind one). */
        trustProxy: flag.default(false),
        shutdownTimeoutMs: durationMs.default(10_000),
        /** Serve /metrics without an API key (for a scraper on a private network). */
        publicMetrics: flag.default(false),
        /**
         * Browser origins (e.g. `https://app.example.com`, or `*`) allowed to call prompt execute with a client
         * token. A comma-separated list in the environment. Empty: no cross-origin calls.
         */
        corsOrigins: z
          .union([
            z.array(z.string()),
            z.string().transform((s) =>
              s
                .split(',')
                .map((o) => o.trim())
                .filter(Boolean),
            ),
          ])
          .pipe(
            z.array(
              z
                .string()
                .regex(/^(\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/i, 'an origin such as https://app.example.com, or *'),
            ),
          )
          .default([]),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 8787,
        bodyLimitBytes: 1024 * 1024,
        trustProxy: false,
        shutdownTimeoutMs: 10_000,
        publicMetrics: false,
        corsOrigins: [],
      }),
    storage: z
      .object({
        url: z
          .string()
          .min(1)
          .refine((u) => /^(postgres(ql)?:\/\/|sqlite:|[./~\w])/.test(u), 'a postgres:// URL or a SQLite file path')
          .default('sqlite:./.portcullis/portcullis.db'),
      })
      .strict()
      .default({ url: 'sqlite:./.portcullis/portcullis.db' }),
    secrets: z
      .object({
        /** 32-byte master key, base64 or hex. Prefer the environment (PORTCULLIS_SECRETS_MASTER_KEY). */
        masterKey: z.string().min(1).optional(),
        /** Used when masterKey is not set; created with mode 0600 on first start. */
        masterKeyFile: z.string().min(1).default('./.portcullis/master.key'),
      })
      .strict()
      .default({ masterKeyFile: './.portcullis/master.key' }),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
    requestLog: z
      .object({
        flushIntervalMs: durationMs.max(60_000).default(250),
        maxBatch: z.coerce.number().int().min(1).max(10_000).default(500),
      })
      .strict()
      .default({ flushIntervalMs: 250, maxBatch: 500 }),
    mock: z
      .object({
        /** The built-in mock provider (provider name `mock`). On by default so a fresh install answers. */
        enabled: flag.default(true),
        settings: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .default({ enabled: true, settings: {} }),
    providers: z.array(providerConfigSchema).default([]),
    /** Public model names mapped to ordered targets: the first that answers serves, the rest are fallbacks. */
    routes: z.record(z.string().min(1), z.array(routeTarget).min(1)).default({}),
    /** Counters (rate limits, budgets) and change events shared by replicas; unset url = embedded, in memory. */
    redis: redisConfigSchema.default(REDIS_DEFAULTS),
    /** Rate limits, token limits and budgets (see docs/limits.md). */
    limits: limitsConfigSchema.default(LIMITS_DEFAULTS as z.infer<typeof limitsConfigSchema>),
    /** Dollars per million tokens by `provider/model`, model, or prefix ending in `*` (see docs/configuration.md). */
    pricing: priceTableSchema.default({}),
    /** Guard policy applied to every request, on top of the safe defaults (see docs/guardrails.md). */
    guard: policyOverrideSchema.default({}),
    audit: z
      .object({
        /** A signed checkpoint every this many records of a tenant's chain (0: only on demand and at purges). */
        checkpointEvery: z.coerce.number().int().min(0).max(1_000_000).default(1000),
      })
      .strict()
      .default({ checkpointEvery: 1000 }),
    retention: z
      .object({
        /** How often the server deletes expired data (per-tenant settings; docs/audit.md). 0: never (use the CLI). */
        intervalMs: durationMs.max(7 * 24 * 3_600_000).default(3_600_000),
      })
      .strict()
      .default({ intervalMs: 3_600_000 }),
    bootstrap: z
      .object({
        /** Create and print an admin key on first start when none exists. */
        adminKey: flag.default(true),
      })
      .strict()
      .default({ adminKey: true }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
